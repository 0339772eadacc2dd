from ingest.structure.title import find_title, headline_at, is_title_like, score_title, title_text


def test_headline_beats_labels_names_and_breadcrumbs():
    candidates = ["News", "Home » World » Europe", "Jane Doe", "Storm floods the coastal towns"]
    assert find_title(candidates) == 3


def test_sentences_are_not_titles():
    assert not is_title_like("The storm flooded the towns.")
    assert is_title_like("Will the storm flood the towns?")


def test_repeated_line_is_preferred():
    assert score_title("Turning point reached", 1, True) > score_title("A long kicker", 0, False)


def test_no_candidates():
    assert find_title([]) is None


def test_first_headline_beats_a_later_standfirst_without_a_stop():
    candidates = [
        "Council approves the budget after a night of debate",
        "Libraries and the bridge repair get most of the money",
    ]
    assert find_title(candidates) == 0


def test_kicker_label_loses_to_the_headline_below_it():
    assert find_title(["Local News", "Council approves the budget after a long debate"]) == 1


def test_lines_below_the_byline_lose_to_the_headline_above_it():
    candidates = ["Council approves the budget", "Share this story with your friends today"]
    assert find_title(candidates, first_after_byline=1) == 0


def test_widgets_handles_and_lowercase_fragments_are_not_headlines():
    assert find_title(["Council approves the budget", "Follow @example on"]) == 0
    assert find_title(["Budget vote tonight", "after the meeting we talked for hours"]) == 0
    assert find_title(["Budget vote tonight", "Weather | Traffic | Sports"]) == 0


def test_a_breadcrumb_glued_to_the_headline_loses_to_the_headline():
    candidates = ["HomeCity NewsCouncil approves the budget", "Council approves the budget"]
    assert find_title(candidates) == 1


def test_initials_are_not_a_sentence_break():
    assert score_title("Rents rise in U.S. Cities where jobs grow", 0, False) > score_title(
        "Rents rise. Cities grow", 0, False
    )


def test_page_controls_are_not_headlines():
    candidates = [
        "• Latest stories from the region",
        "[Type here to search          ]",
        "□ Keep me signed in on this computer",
        "Council approves the budget after a long debate",
    ]
    assert find_title(candidates) == 3


def test_a_bracketed_tag_in_front_of_a_headline_is_kept():
    assert find_title(["News", "[Update] Council approves the budget after a long debate"]) == 1


def test_ranks_let_a_headline_far_down_a_long_head_compete():
    candidates = ["Home", "News", "Sport", "Council approves the budget after a long debate"]
    assert find_title(candidates, ranks=[0, 1, 1, 0]) == 3


def test_a_short_headline_right_above_the_prose_beats_the_label_above_it():
    candidates = ["Weekend reading list", "After the flood"]
    assert find_title(candidates) == 0
    assert find_title(candidates, lead=1) == 1


def test_image_placeholders_are_not_headlines():
    assert find_title(["[svg][photo_123_small]", "After the flood"], lead=0) == 1


def test_a_headline_quoted_in_guillemets_is_not_a_breadcrumb():
    candidates = ["Politics", "Rent strike in town", "»We simply have no money left for the rent«"]
    assert find_title(candidates) == 2
    assert find_title(["News", "Sie sagt: «Wir bleiben hier, was auch immer kommt»"]) == 1
    assert find_title(["» Reports » Storm hits the coast", "Storm hits the coast"]) == 1


def test_a_line_of_numbers_is_not_a_headline():
    candidates = ["Society", "Calm through the crisis", "1950 1970 1990 2010 2030"]
    assert find_title(candidates, lead=2) == 1
    assert find_title(["Top 10 walks for 2030", "1950 1970 1990"]) == 0


def test_a_menu_word_inside_a_longer_label_is_not_a_glued_headline():
    candidates = ["Coffee", "Ground Coffee", "Morning Blend - Strong Roast, 250g Tin"]
    assert find_title(candidates, repeated=frozenset({"Coffee"})) == 2
    candidates = ["Local News Storm hits the coast", "Storm hits the coast"]
    assert find_title(candidates) == 1


def test_a_breadcrumb_trail_gives_its_last_item_as_the_headline():
    candidates = ["Home » Climbing » Storm hits the coast of the island", "Jane Doe"]
    found = find_title(candidates)
    assert found == 0 and title_text(candidates[found]) == "Storm hits the coast of the island"
    # The item's own line wins over the trail, even a one-word place name.
    candidates = ["You are here: Home » Europe » Hamburg", "Hamburg"]
    assert find_title(candidates, lead=1) == 1
    # A trail of sections gives a section, which loses to the headline below it.
    candidates = ["Home » World » Europe", "Storm hits the coast of the island"]
    assert find_title(candidates) == 1


def test_a_headline_with_one_slash_is_not_a_trail():
    assert title_text("Dare to play 3 / October pack") == "Dare to play 3 / October pack"
    assert title_text("»Nein« sagt sie » und geht") == "»Nein« sagt sie » und geht"


def test_a_short_headline_with_an_article_is_not_a_name():
    candidates = ["Issue 2030/3", "The Windmaker"]
    assert find_title(candidates, lead=1) == 1
    assert find_title(["Jane Doe", "Storm hits the coast"]) == 1


def test_a_headline_in_title_case_may_end_with_a_full_stop():
    candidates = [
        "Retail",
        "Hardware Chain Stock Is Falling After Its Earnings. Why You Shouldn’t Worry.",
        "Text size",
        "Shares of the hardware chain fell after the report.",
    ]
    assert find_title(candidates, first_after_byline=2) == 1
    # A standfirst in sentence case, or a logo in capitals, stays out.
    assert not is_title_like("Shares of the hardware chain fell after the report.")
    assert not is_title_like("ACME HELPERS E. V. ACME HELPERS E. V.")


def test_a_headline_that_starts_with_home_is_not_a_menu():
    candidates = [
        "Home Improvement Chain Beats Forecasts Again",
        "Retail stocks in a week of results",
    ]
    assert find_title(candidates) == 0


MENU = ["News", "Sport", "Weather", "Culture", "Travel", "Local", "Opinion", "Video", "Podcasts"]


def test_a_headline_below_a_long_menu_competes():
    candidates = [*MENU, "Newsletters", "Events", "Jobs", "Shop", "Storm hits the coast again"]
    assert find_title(candidates) == len(candidates) - 1
    # A kicker phrase directly above still loses to the headline, and a byline below.
    candidates = [*MENU, "Our weekly view", "Storm hits the coast of the island", "Jane Doe"]
    assert find_title(candidates) == len(candidates) - 2


def test_a_repeated_menu_word_is_not_preferred_over_the_headline():
    candidates = ["Coffee", "Ground", "Beans", "Morning blend, dark roast"]
    assert find_title(candidates, repeated=frozenset({"Coffee"})) == 3
    assert score_title("Turning point", 1, True) > score_title("Turning point", 1, False)


def test_a_line_said_twice_is_not_the_headline():
    candidates = ["Can fish feel pain at all?", "Jane at the lakeJane at the lake"]
    assert find_title(candidates, repeated=frozenset({"Jane at the lakeJane at the lake"})) == 0
    doubled = score_title("The old harbour The old harbour", 0, False)
    assert doubled < score_title("The old harbour", 0, False)


def test_list_bullets_of_a_text_browser_are_controls():
    candidates = [
        "○ Hearing updates: the witness speaks ○ Two more",
        "Key moments from the hearing",
    ]
    assert find_title(candidates) == 1
    assert find_title(["■ Diachronic description of the language", "What history is for"]) == 1


def test_a_numbered_breadcrumb_gives_its_last_item_as_the_headline():
    candidates = [*MENU, "1. Home", "2. Politics", "3. Council approves the budget after a debate"]
    found = find_title(candidates)
    assert found == len(candidates) - 1
    assert headline_at(candidates, found) == "Council approves the budget after a debate"


def test_numbered_steps_and_leagues_are_not_a_breadcrumb():
    steps = ["1. Preheat the oven to two hundred degrees", "2. Mix the flour and the eggs well"]
    assert headline_at(steps, 1) == steps[1]
    assert (
        headline_at(["3. Liga: Aue wins the derby at home"], 0)
        == "3. Liga: Aue wins the derby at home"
    )


def test_a_standfirst_in_title_case_with_a_full_stop_is_not_a_headline():
    assert is_title_like("Stock Falls After Its Earnings Release. Why You Shouldn't Worry.")
    long_line = " ".join(["Soldiers March Along The River"] * 6) + "."
    assert not is_title_like(long_line)
