"""Offline docs preview check (Quarto is not installable everywhere).

Renders the notebooks that `nbdev-proc-nbs` wrote to `_proc/` as HTML with nbconvert (applying nbdev's `#| hide`,
`#| include: false` and `#| echo: false` directives), loads every page in headless Chromium, and fails when a notebook
carries an error output or a stack trace, when Chromium cannot load a page, or when a page renders blank.

Usage: python tools/preview_check.py [--proc _proc] [--out _preview] [--chromium /usr/bin/chromium]
"""
import argparse, json, re, shutil, subprocess, sys, tempfile
from pathlib import Path

import nbformat
import numpy as np
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor
from PIL import Image

CELL_KEYS = {'code': {'cell_type', 'id', 'metadata', 'source', 'outputs', 'execution_count'},
             'markdown': {'cell_type', 'id', 'metadata', 'source', 'attachments'},
             'raw': {'cell_type', 'id', 'metadata', 'source', 'attachments'}}
DIRECTIVE = re.compile(r'^\s*#\|\s*(.+?)\s*$')

def directives(src: str) -> set:
    return {m.group(1).replace(' ', '') for line in src.splitlines() if (m := DIRECTIVE.match(line))}

def problems(nb: dict, name: str) -> list:
    "Error outputs and stack traces left in a notebook's outputs."
    out = []
    for i, c in enumerate(nb['cells']):
        for o in c.get('outputs', []):
            text = ''.join(o.get('text', '')) if o.get('output_type') == 'stream' else ''
            if o.get('output_type') == 'error': out.append(f"{name}: cell {i} has an error output ({o.get('ename')})")
            elif 'Traceback (most recent call last)' in text: out.append(f"{name}: cell {i} prints a stack trace")
    return out

def to_html(path: Path, out_dir: Path) -> Path:
    nb = json.loads(path.read_text())
    cells = []
    for c in nb['cells']:
        src = ''.join(c.get('source', ''))
        d = directives(src) if c['cell_type'] == 'code' else set()
        if c['cell_type'] == 'raw' or {'hide', 'include:false'} & d or any(x.startswith('default_exp') for x in d): continue
        c = {k: v for k, v in c.items() if k in CELL_KEYS[c['cell_type']]}
        c['metadata'] = {}
        c['source'] = src
        if 'echo:false' in d: c['metadata'] = {'tags': ['remove_input']}
        elif c['cell_type'] == 'code': c['source'] = '\n'.join(l for l in src.splitlines() if not DIRECTIVE.match(l))
        cells.append(c)
    nb['cells'] = cells
    nb['metadata'] = {k: v for k, v in nb.get('metadata', {}).items() if k in ('kernelspec', 'language_info')}
    node = nbformat.reads(json.dumps(nb), as_version=4)  # rejoins multi-line strings stored as lists
    exp = HTMLExporter(template_name='lab')
    exp.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'remove_input'}), enabled=True)
    body, _ = exp.from_notebook_node(node)
    dest = out_dir/(path.stem + '.html')
    dest.write_text(body)
    return dest

def check_page(html: Path, chromium: str) -> list:
    "Load `html` in headless Chromium: its DOM must have text and its screenshot must not be blank."
    flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--hide-scrollbars', '--virtual-time-budget=5000']
    with tempfile.TemporaryDirectory() as prof:
        url = html.resolve().as_uri()
        r = subprocess.run([chromium, *flags, f'--user-data-dir={prof}', '--dump-dom', url], capture_output=True, text=True, timeout=120)
        if r.returncode != 0: return [f"{html.name}: Chromium failed to load the page (exit {r.returncode}): {r.stderr[-300:]}"]
        text = re.sub(r'<[^>]+>', ' ', re.sub(r'<(script|style)[^>]*>.*?</\1>', ' ', r.stdout, flags=re.S))
        if len(text.split()) < 50: return [f"{html.name}: the page renders almost no text ({len(text.split())} words)"]
        shot = Path(prof)/'shot.png'
        r = subprocess.run([chromium, *flags, f'--user-data-dir={prof}', f'--screenshot={shot}', '--window-size=1200,1600', url],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0 or not shot.exists(): return [f"{html.name}: Chromium could not take a screenshot (exit {r.returncode})"]
        a = np.asarray(Image.open(shot).convert('L'), dtype=float)
        if a.std() < 2: return [f"{html.name}: the page renders blank (screenshot pixel std {a.std():.2f})"]
    return []

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--proc', default='_proc'); p.add_argument('--out', default='_preview')
    p.add_argument('--chromium', default=shutil.which('chromium') or shutil.which('chromium-browser') or '/usr/bin/chromium')
    a = p.parse_args()
    proc, out = Path(a.proc), Path(a.out)
    nbs = sorted(proc.glob('*.ipynb'))
    if not nbs: sys.exit(f"no processed notebooks in {proc}: run nbdev-proc-nbs first")
    out.mkdir(exist_ok=True)
    errs = []
    for nb in nbs:
        errs += problems(json.loads(nb.read_text()), nb.name)
        try: page = to_html(nb, out)
        except Exception as e: errs.append(f"{nb.name}: nbconvert could not render it ({e})"); continue
        errs += check_page(page, a.chromium)
    print(f"preview: {len(nbs) - len({e.split(':')[0] for e in errs})} passed, {len({e.split(':')[0] for e in errs})} failed")
    if errs: sys.exit('\n'.join(errs))

if __name__ == '__main__': main()
