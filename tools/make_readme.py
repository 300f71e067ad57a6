"""Write README.md from nbs/index.ipynb (Quarto, which nbdev-readme needs, may be absent).

Usage: python tools/make_readme.py          # write README.md
       python tools/make_readme.py --check  # exit 1 if README.md is stale
"""
import sys
from pathlib import Path
import nbformat
from nbconvert import MarkdownExporter

root = Path(__file__).resolve().parents[1]

def render() -> str:
    nb = nbformat.read(root/'nbs'/'index.ipynb', as_version=4)
    exp = MarkdownExporter()
    exp.exclude_output = True  # the README shows code; the docs site shows the figures
    body, _ = exp.from_notebook_node(nb)
    note = "<!-- generated from nbs/index.ipynb by tools/make_readme.py; edit the notebook, not this file -->\n\n"
    return note + body.strip() + "\n"

if __name__ == '__main__':
    text, readme = render(), root/'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit("README.md is not current: run `python tools/make_readme.py` and commit it")
        print("README.md is current")
    else:
        readme.write_text(text); print(f"wrote {readme}")
