from ingest.structure.rules.links import RELATED_BOX, RELATED_LIST, is_link_like


def test_a_related_box_starts_from_the_related_lists_heading():
    assert RELATED_BOX.matcher is RELATED_LIST.matcher
    assert RELATED_LIST.matcher("Das könnte Sie auch interessieren")
    assert is_link_like("Ten beaches to visit this summer")
    assert not is_link_like("Ten beaches to visit this summer.")
