from components.text import md


def test_markdown_and_html_in_user_text_stay_literal():
    assert md("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert\(1\)\>"
    assert md("![x](http://evil)") == r"\!\[x\]\(http://evil\)"
    assert md("**fett** _kursiv_ `code`") == r"\*\*fett\*\* \_kursiv\_ \`code\`"
    assert md("1. Punkt") == r"1\. Punkt"
    assert md("Bad Laer") == "Bad Laer"
