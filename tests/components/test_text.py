from components.text import md


def test_markdown_and_html_in_user_text_stay_literal():
    assert md("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert\(1\)\>"
    assert md("![x](http://evil)") == "\\!\\[x\\]\\(http&#58;//\u2060evil\\)"
    assert md("**fett** _kursiv_ `code`") == r"\*\*fett\*\* \_kursiv\_ \`code\`"
    assert md("1. Punkt") == r"1\. Punkt"
    assert md("Bad Laer") == "Bad Laer"


def test_streamlit_directives_icons_and_emoji_stay_literal():
    from components.text import md

    # a backslash does not stop them in Streamlit (":material/" is rewritten before parsing)
    assert md(":red[rot] :material/home: :smile:") == \
        r"&#58;red\[rot\] &#58;material/home: &#58;smile:"
    assert md("Beginn: 12:30") == "Beginn: 12:30"  # ordinary colons stay
    # a bare URL would be a GFM autolink (escapes inside it are ignored): no "://" left
    assert "://" not in md("http://3232235777/x https://evil.example")


def test_html_text_is_safe_in_html_blocks_and_markdown():
    import html as html_modul

    from components.text import html_text

    roh = "<img src=x> [L](http://e.example) **f** \"'& :red[r] $x$"
    sicher = html_text(roh)
    assert not set(sicher) & set("<>\"'[]()*$:")
    # the reader sees exactly the text (plus an invisible word joiner that stops autolinks)
    assert html_modul.unescape(sicher).replace("\u2060", "") == roh


def test_plotly_text_escapes_its_html_subset():
    from components.text import plotly_text

    assert plotly_text("<a href='http://e'>x</a> & <b>") == \
        "&lt;a href='http://e'&gt;x&lt;/a&gt; &amp; &lt;b&gt;"


def test_mailto_only_for_a_plain_address():
    from components.text import mailto_md, tel_md

    assert mailto_md("anna@stadt.example.org") == \
        "[anna@\u2060stadt\\.example\\.org](mailto:anna@stadt.example.org)"
    boese = "a@b.example) [x](http://evil.example"
    assert "](" not in mailto_md(boese).replace(r"\]\(", "")
    assert tel_md("05401 123-4") == r"[05401 123\-4](tel:054011234)"
    assert tel_md("keine") == "keine"


def test_link_ziel_only_for_plain_web_addresses():
    from components.text import link_ziel

    assert link_ziel("https://www.onlinezugang.de/x?y=1") == "https://www.onlinezugang.de/x?y=1"
    for boese in ("javascript:alert(1)", "data:text/html,<b>", "http://a.example/ x",
                  "ftp://a.example", None, float("nan"), ""):
        assert link_ziel(boese) is None
