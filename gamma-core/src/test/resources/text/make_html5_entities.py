"""Writes the table of HTML5 named character references that HtmlUnescape reads, from the one Python's
html.unescape uses (html.entities.html5), so the Java tokenizer unescapes exactly as the reference does.

Run from the repository root: python3 gamma-core/src/test/resources/text/make_html5_entities.py
Each line: the name as Python keys it (with its ';', or without for the legacy names that may omit it),
a tab, and the replacement's code points in hex separated by spaces.
"""
import html.entities
import pathlib

out = pathlib.Path("gamma-core/src/main/resources/org/gammaiqa/text/html5-entities.tsv")
out.parent.mkdir(parents=True, exist_ok=True)
lines = ["%s\t%s" % (name, " ".join("%x" % ord(c) for c in value))
         for name, value in sorted(html.entities.html5.items())]
out.write_text("\n".join(lines) + "\n", encoding="ascii")
print(out, len(lines), "names")
