"""Writes tokenizer_cases.json: CLIP tokenizer parity cases from the Python reference.

Regenerate from the repository root (needs Python 3 with `regex` and `torch`, and ../shared):

    /usr/bin/python3 gamma-core/src/test/resources/text/make_tokenizer_cases.py

Sections: "encode" (text -> ids without start/end, as gamma_ref.Tokenizer.encode), "too_long"
(texts that gamma_ref.Tokenizer.tokenize rejects at context 77), "unescape" (html.unescape on a
sample of HTML5 entity names and numeric references) and "lower" (str.lower on the cases where
Java's toLowerCase differs).
"""
import html
import html.entities
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "../../../../../../shared"))
sys.path.insert(0, os.path.join(SHARED, "reference"))
import gamma_ref  # noqa: E402

CONTEXT = 77

TEXTS = [
    # all six scenes' prompts
    *gamma_ref.GENERIC_PROMPTS,
    *[p for prompts in gamma_ref.SCENE_PROMPTS.values() for p in prompts],
    # plain English, punctuation runs
    "A photo of a cat.", "Hello, World!!!", "!!!???...", "--->>> <<<---", "C++ / C# / F#",
    "ABC-def_GHI", "user@example.com https://x.y/z?q=1&r=2", "rock 'n' roll",
    # digits: one token per digit
    "1234", "3.14159 and 1,000,000", "\u0663\u0664\u0665 Arabic-Indic digits \u00bd \u216b",
    # apostrophes and contractions, both cases
    "'s 't 're 've 'm 'll 'd", "'S 'T 'RE 'VE 'M 'LL 'D", "it's don't we're they've I'm you'll he'd",
    "IT'S DON'T WE'RE", "'\u017f long s folds to 's", "\u2019s curly apostrophe",
    # unicode: accents, CJK, Hangul, emoji, Arabic, German, Turkish, Greek
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c6r\u00f8sk\u00f8bing", "e\u0301 combining acute",
    "\u5317\u4eac\u6b22\u8fce\u4f60", "\u6771\u4eac\u30bf\u30ef\u30fc\u306e\u5199\u771f", "\ud55c\uad6d\uc5b4 \ud14d\uc2a4\ud2b8",
    "\U0001F600\U0001F44D\U0001F3FD emoji \U0001F389\U0001F1E9\U0001F1EA", "\U0001F600" * 5,
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "Stra\u00dfe STRASSE \u00df \u1e9e",
    "\u0130stanbul ISTANBUL \u0131i \u0130", "\u039f\u0394\u039f\u03a3 \u03a3\u039f\u03a6\u039f\u03a3 \u03a3. \u0391\u03a3'\u0392 \u0391\u03a3\u0345",
    "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u03c3\u03af\u03c3\u03c5\u03c6\u03bf\u03c2", "\u01c4 \u01c5 \u01c6 titlecase",
    "\ufb01 ligature \ufb00 \u24d0\u24b6", "\u210c\U0001D51E\U0001D529\U0001D529\U0001D52C \U0001D7D9\U0001D7DA\U0001D7DB",
    "zero\u200bwidth\u200dspace",
    # whitespace: runs, tabs, newlines, NBSP, other Unicode spaces, str.isspace-only separators
    "  leading and trailing  ", "\tTabs\tand\nnewlines\r\n", "many     spaces   between",
    "non\u00a0breaking\u2003em\u3000ideographic", "\x1c file separator \x1f", "\x1cword\x1d", "\u0085next line", "", "   ",
    # HTML entities
    "&amp; &lt; &gt; &quot;", "&#39; &#x27; &#X27", "&amp;amp; &amp;lt; &amp;#39;", "&copy 2024 &copy;",
    "&notit; &notin; &not", "&#128; &#x80; &#150; &#x9d;", "&#0; &#xD800; &#x110000; &#99999999999999999999;",
    "&#1; &#x7f; &#xFFFE; &#xFDD0; &#13;", "&unknown; &am &", "&NotEqualTilde; &fjlig;", "&AMP &Amp; &amp",
    "&ampx &ltfoo &gt=", "&" + "x" * 40 + ";", "&nbsp;&nbsp;a&nbsp;", "&#x1F600; &#128512;",
    # special tokens inside text
    "<|startoftext|>hello<|endoftext|>", "<|STARTOFTEXT|> upper",
    # long words
    "supercalifragilisticexpialidocious", "pneumonoultramicroscopicsilicovolcanoconiosis",
    "antidisestablishmentarianism", "a" * 60, "xqzj" * 15, "a " * 75,
]

TOO_LONG = ["a " * 76, "word " * 100, "1" * 76]


def unescape_sample():
    names = sorted(html.entities.html5)
    legacy = [n for n in names if not n.endswith(";")]
    rng = random.Random(20250306)
    full = rng.sample([n for n in names if n.endswith(";")], 60)
    multi = [n for n in names if len(html.entities.html5[n]) > 1][:6]
    texts = ["&" + n for n in legacy] + ["&" + n for n in full + multi]
    texts += ["&" + n + "x" for n in legacy[:20]] + ["a&" + n + "b;" for n in legacy[20:40]]
    texts += ["&#%d;" % c for c in (0, 9, 10, 11, 12, 13, 31, 127, 128, 129, 141, 159, 160, 0xD800, 0xDFFF,
                                    0xFDD0, 0xFFFE, 0x1FFFF, 0x10FFFF, 0x110000)]
    texts += ["&#x41", "&#X41;", "&#65", "&#x;", "&#;", "&#", "&;", "& amp;", "&&amp;", "&amp;&amp;"]
    return [{"text": t, "expected": html.unescape(t)} for t in texts]


LOWER = ["\u0130", "\u0130STANBUL", "\u03a3", "\u0391\u03a3", "\u0391\u03a3.", "\u0391\u03a3 \u0392", "\u0391\u03a3'\u0392",
         "\u0391.\u03a3", "\u0391\u0345\u03a3", "\u0391\u03a3\u0301", "\u0391\u03a3\u0301\u0392", "\u03a3\u0391",
         "1\u03a3", "\u0391\u03a31", "\u0391\u00ad\u03a3", "\u0391\u03a3\u02b0\u0392", "\u1e9e\u2126\u212a\u212b"]


def main():
    tok = gamma_ref.Tokenizer(os.path.join(SHARED, "clip", "bpe_simple_vocab_16e6.txt.gz"))
    encode = []
    for text in TEXTS:
        ids = tok.encode(text)
        row = tok.tokenize([text], CONTEXT)[0].tolist()
        assert row == [tok.sot] + ids + [tok.eot] + [0] * (CONTEXT - len(ids) - 2), text
        encode.append({"text": text, "ids": ids})
    for text in TOO_LONG:
        try:
            tok.tokenize([text], CONTEXT)
            raise AssertionError("expected too long: %r" % text)
        except ValueError:
            pass
    cases = {
        "vocabulary": "bpe_simple_vocab_16e6.txt.gz", "context": CONTEXT, "start": tok.sot, "end": tok.eot,
        "encode": encode, "too_long": TOO_LONG, "unescape": unescape_sample(),
        "lower": [{"text": t, "expected": t.lower()} for t in LOWER],
    }
    with open(os.path.join(HERE, "tokenizer_cases.json"), "w", encoding="ascii") as f:
        f.write("{\n")
        items = list(cases.items())
        for i, (key, value) in enumerate(items):
            if isinstance(value, list):
                body = ",\n".join("  " + json.dumps(v) for v in value)
                f.write('"%s": [\n%s\n]' % (key, body))
            else:
                f.write('"%s": %s' % (key, json.dumps(value)))
            f.write(",\n" if i < len(items) - 1 else "\n")
        f.write("}\n")
    print("wrote %d encode, %d too-long, %d unescape, %d lower cases"
          % (len(encode), len(TOO_LONG), len(cases["unescape"]), len(LOWER)))


if __name__ == "__main__":
    main()
