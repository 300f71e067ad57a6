"""The live browser test of the explorer (tools/explorer.ipynb served by Voilà, driven by tools/browser_check.py):

    PSPC_EXPLORER_SUBSET=2000 python tools/browser_check.py tools/explorer.ipynb --scenario tools/explorer_scenario.py --out DIR

A person's path through the widget: move σ, open the sources tab, pick a configuration, click a pixel of the network's
output and of a mosaic, add a column. After each step the images that step must redraw have new contents, the status
line (the explorer writes it last) names the new state, and no error appears (the harness fails on any error output,
kernel error or JS error). Screenshots of every step go to DIR.
"""
import re

ZOOM = 4                     # explore()'s default zoom: clickable images are drawn at 2 * ZOOM screen pixels per image pixel


def srcs(h, selector: str, visible: bool = True) -> list:
    "The src of every (visible) <img> matching `selector`: a blob URL, a new one whenever the widget's PNG changes."
    loc = h.page.locator(selector)
    return [loc.nth(i).get_attribute('src') or '' for i in range(loc.count()) if not visible or loc.nth(i).is_visible()]


def columns(h) -> list:
    "The shown sources columns: family, text, mosaic src, the sources' names and image srcs."
    cols, out = h.page.locator('.pspc-source-column'), []
    for i in range(cols.count()):
        c = cols.nth(i)
        if not c.is_visible(): continue
        imgs, names = c.locator('.pspc-source-image'), c.locator('.pspc-source-name')
        out.append(dict(family=c.locator('select').input_value(), text=c.inner_text(),
                        mosaic=c.locator('.pspc-source-mosaic').get_attribute('src'),
                        names=[names.nth(j).inner_text().strip() for j in range(names.count()) if names.nth(j).is_visible()],
                        images=[imgs.nth(j).get_attribute('src') for j in range(imgs.count()) if imgs.nth(j).is_visible()]))
    return out


def status_sigma(h) -> float:
    m = re.search(r'σ = ([0-9.eE+-]+)', h.text('pspc-status'))
    return float(m.group(1)) if m else float('nan')


def expect_pixel(h, y: int, x: int, before: list):
    "After picking (y, x): every column's summary names it, shows 4 sources, and every source image was redrawn."
    h.wait_text('pspc-status', contains=f'pixel ({y}, {x})')
    now = columns(h)
    for c, b in zip(now, before):
        h.expect(f'pixel ({y}, {x}): its top 4 hold' in c['text'], f'{c["family"]} column after picking ({y}, {x}): {c["text"]!r}')
        h.expect(len(c['images']) == 4 and all(c['names']) and len(set(c['names'])) == 4, f'{c["family"]}: four distinct sources, got {c["names"]}')
        h.expect(all(s != t for s, t in zip(c['images'], b['images'])), f'{c["family"]}: every source image redrawn for ({y}, {x})')
    h.expect(re.search(r'· 0 new results', h.text('pspc-status')), f'picking a pixel recomputes nothing: {h.text("pspc-status")!r}')
    return now


def scenario(h):
    # 1. The first view: input z and five denoisers drawn, the status line reports them.
    status = h.text('pspc-status')
    h.expect('new output' in status and 'error' not in status, f'status after the first render: {status!r}')
    panels = ('z', 'network', 'optimal', 'gaussian', 'square', 'flex')
    first = {k: srcs(h, f'.pspc-out-{k}') for k in panels}
    for k, s in first.items(): h.expect(len(s) == 1 and s[0], f'panel {k} shows one image')
    h.screenshot('1-first-view')

    # 2. Change σ: the input and every output are redrawn, the status line names the σ the slider shows.
    readout = h.set_slider('pspc-sigma', 12)                          # option index 12 of the 18 EDM levels
    h.wait(lambda: abs(status_sigma(h) - float(readout)) <= 0.005 * float(readout) + 5e-4,
           lambda: f'the status line to report σ = {readout} (it says {h.text("pspc-status")!r})')
    for k in panels: h.expect(srcs(h, f'.pspc-out-{k}') != first[k], f'panel {k} redrawn after moving σ to {readout}')
    h.log(f'σ -> {readout}: {h.text("pspc-status")}')
    h.screenshot('2-sigma-changed')

    # 3. The sources tab: the network output to click on and two columns (PSPC-Square, ELS) with mosaics and sources.
    h.page.locator('.pspc-tabs .lm-TabBar-tab', has_text='Sources (§8)').click()
    h.settle()
    h.wait_text('pspc-status', contains='pixel (14, 14)')
    cols = columns(h)
    h.expect([c['family'] for c in cols] == ['PSPC-Square', 'ELS'], f'sources columns {[c["family"] for c in cols]}')
    for c in cols:
        h.expect('pixel (14, 14): its top 4 hold' in c['text'] and c['mosaic'] and len(c['images']) == 4, f'column {c["family"]}: {c["text"]!r}')
    h.expect(srcs(h, '.pspc-pick'), 'the network output to click on is drawn')
    h.screenshot('3-sources-tab')

    # 4. Pick a configuration: the first column becomes PSPC-Flex; its mosaic and sources are redrawn, the second stays.
    h.page.locator('.pspc-source-family select').nth(0).select_option(label='PSPC-Flex')
    h.settle()
    h.wait(lambda: (c := columns(h))[0]['family'] == 'PSPC-Flex' and 'PSPC-Flex (λ' in c[0]['text'] and c[0]['mosaic'] != cols[0]['mosaic']
           and all(s != t for s, t in zip(c[0]['images'], cols[0]['images'])) and 'new result' in h.text('pspc-status'),
           lambda: f'the first column to show PSPC-Flex with a new mosaic and sources (it shows {columns(h)[0]["text"]!r})')
    now = columns(h)
    h.expect(now[1]['mosaic'] == cols[1]['mosaic'], 'the ELS column is untouched by the first column\'s change')
    h.screenshot('4-pspc-flex-picked')

    # 5. Click a pixel of the network output: (y, x) = (20, 6).
    h.click_image('pspc-pick', 6 * 2 * ZOOM + 3, 20 * 2 * ZOOM + 3)
    now = expect_pixel(h, 20, 6, now)
    h.screenshot('5-pixel-clicked')

    # 6. Click the ELS column's mosaic at pixel (3, 25).
    h.click_image('.pspc-source-mosaic >> nth=1', 25 * 2 * ZOOM + 3, 3 * 2 * ZOOM + 3)
    now = expect_pixel(h, 3, 25, now)
    h.screenshot('6-mosaic-clicked')

    # 7. '+' adds a third column, drawn for the same pixel.
    h.page.locator('.pspc-sources-more').click()
    h.settle()
    h.wait(lambda: len(columns(h)) == 3, 'a third sources column')
    third = columns(h)[2]
    h.expect('pixel (3, 25): its top 4 hold' in third['text'] and len(third['images']) == 4, f'the third column: {third["text"]!r}')
    s = h.text('pspc-status')
    h.expect(not re.search(r'error|failed', s), f'status at the end: {s!r}')
    h.log(f'at the end: {s}')
    h.screenshot('7-third-column')
