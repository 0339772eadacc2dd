from ingest.structure.rules.sharing import SHARE_BUTTON, SOCIAL_HANDLE, is_share_row


def test_share_row_anywhere_needs_a_network():
    assert is_share_row("Facebook Twitter", anywhere=True)
    assert not is_share_row("Email", anywhere=True)


def test_share_buttons_are_bulleted_network_rows():
    assert SHARE_BUTTON.matcher("• Click to share on Facebook (Opens in new window)")
    assert not SHARE_BUTTON.matcher("• Share your story")


def test_social_handles_are_not_email_addresses():
    assert SOCIAL_HANDLE.matcher("@janedoe")
    assert not SOCIAL_HANDLE.matcher("jane@example.com")
