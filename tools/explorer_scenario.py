"""The live browser test of the explorer (tools/explorer.ipynb served by Voilà, driven by tools/browser_check.py):

    PSPC_EXPLORER_SUBSET=2000 python tools/browser_check.py tools/explorer.ipynb --scenario tools/explorer_scenario.py --out DIR

A person's path through the widget: move σ, open the sources tab, pick a configuration, click a pixel of the network's
output and of a mosaic. After each step the images that step must redraw have new contents, the status line names
the new state, and no error appears (the harness fails on any error output, kernel error or JS error).
Screenshots of every step go to DIR.
"""
import re

ZOOM = 4                     # explore()'s default zoom: clickable images are drawn at 2 * ZOOM screen pixels per image pixel


def src(h, selector: str, n: int = 0) -> str:
    "The src of the n-th <img> matching `selector` (a blob URL: a new one whenever the widget's PNG changes)."
    return h.page.locator(selector).nth(n).get_attribute('src') or ''


def texts(h, selector: str) -> list:
    return [t.strip() for t in h.page.locator(selector).all_inner_texts()]


def visible_columns(h) -> list:
    "The shown sources columns of the sources tab: their family, header and summary texts."
    cols = h.page.locator('.pspc-source-column')
    out = []
    for i in range(cols.count()):
        c = cols.nth(i)
        if not c.is_visible(): continue
        out.append(dict(family=c.locator('select').input_value(), text=c.inner_text()))
    return out


def scenario(h):
    # 1. The first view: input z and five denoisers drawn, the status line reports them.
    status = h.text('pspc-status')
    h.expect('new output' in status and 'error' not in status, f'status after the first render: {status!r}')
    for k in ('z', 'network', 'optimal', 'gaussian', 'square', 'flex'):
        h.expect(src(h, f'.pspc-out-{k}'), f'panel {k} has an image')
    h.screenshot('1-first-view')

    # 2. Change sigma: the input and every output are redrawn, the status names the new sigma.
    before = {k: src(h, f'.pspc-out-{k}') for k in ('z', 'network', 'optimal', 'square')}
    readout = h.set_slider('pspc-sigma', 12)                          # option index 12 of the 18 EDM levels
    h.wait_text('pspc-status', contains=f'σ = {float(readout):.4g}'[:6])
    for k, s in before.items(): h.expect(src(h, f'.pspc-out-{k}') != s, f'panel {k} redrawn after moving σ')
    h.log(f'σ -> {readout}: {h.text("pspc-status")}')
    h.screenshot('2-sigma-changed')

    # 3. The sources tab: the network output to click on and two columns (PSPC-Square, ELS) with mosaics and galleries.
    h.page.locator('.pspc-tabs .lm-TabBar-tab', has_text='Sources (§8)').click()
    h.settle()
    h.wait_text('pspc-status', contains='pixel (14, 14)')
    cols = visible_columns(h)
    h.expect([c['family'] for c in cols] == ['PSPC-Square', 'ELS'], f'sources columns {cols}')
    for c in cols: h.expect('pixel (14, 14): its top 4 hold' in c['text'], f'column summary {c["text"]!r}')
    h.expect(src(h, '.pspc-pick'), 'the network output to click on is drawn')
    h.screenshot('3-sources-tab')

    # 4. Pick a configuration: the first column becomes PSPC-Flex; its mosaic and sources are redrawn.
    mosaic0 = src(h, '.pspc-source-mosaic', 0)
    h.page.locator('.pspc-source-family select').nth(0).select_option(label='PSPC-Flex')
    h.settle()
    h.wait(lambda: visible_columns(h)[0]['family'] == 'PSPC-Flex' and 'PSPC-Flex (λ' in visible_columns(h)[0]['text'],
           lambda: f'the first column to show PSPC-Flex (it shows {visible_columns(h)[0]})')
    h.expect(src(h, '.pspc-source-mosaic', 0) != mosaic0, 'the PSPC-Flex mosaic replaced the PSPC-Square one')
    h.screenshot('4-pspc-flex-picked')

    # 5. Click a pixel of the network output: (y, x) = (20, 6); the galleries show that pixel's sources.
    gallery = [src(h, '.pspc-source-column img', i) for i in range(12)]
    h.click_image('pspc-pick', 6 * 2 * ZOOM + 3, 20 * 2 * ZOOM + 3)
    h.wait_text('pspc-status', contains='pixel (20, 6)')
    for c in visible_columns(h): h.expect('pixel (20, 6): its top 4 hold' in c['text'], f'column after the click: {c["text"]!r}')
    h.expect([src(h, '.pspc-source-column img', i) for i in range(12)] != gallery, 'the galleries were redrawn for the clicked pixel')
    h.expect('0 new results' in h.text('pspc-status'), f'a click recomputes nothing: {h.text("pspc-status")!r}')
    h.screenshot('5-pixel-clicked')

    # 6. Click a mosaic: pixel (3, 25) of the ELS column's mosaic.
    h.page.locator('.pspc-source-mosaic').nth(1).click(position={'x': 25 * 2 * ZOOM + 3, 'y': 3 * 2 * ZOOM + 3})
    h.settle()
    h.wait_text('pspc-status', contains='pixel (3, 25)')
    h.expect(any('pixel (3, 25)' in t for t in texts(h, '.pspc-source-foot')), 'the summaries name the pixel clicked on the mosaic')
    s = h.text('pspc-status')
    h.expect(not re.search(r'error|failed', s), f'status after the clicks: {s!r}')
    h.log(f'after the clicks: {s}')
    h.screenshot('6-mosaic-clicked')
