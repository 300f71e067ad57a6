"""Browser check of one notebook served by Voilà, driven by headless Chromium (Playwright).

Starts Voilà on 127.0.0.1 (free port, this interpreter's `python3` kernel, log in OUT/voila.log), opens the page, waits
until the notebook has run and its widgets are rendered, then runs an optional scenario function that drives the
widgets like a person would. Fails (exit 1, screenshot OUT/failure.png) on an error output in the page (a traceback,
Voilà's "There was an error when executing cell"), an `error` message from the kernel (e.g. an exception in a widget
callback), a JS page error or console error, or a failing scenario assertion.

Usage:
    python tools/browser_check.py NOTEBOOK [--scenario FILE.py:func | module:func] [--out DIR]
           [--render-timeout 600] [--ready CSS] [--voila-arg=--ARG=VALUE ...] [--allow-console REGEX ...]

A scenario is `def func(h): ...` where `h` is a `Harness`. Widgets are addressed by a CSS class put on them on the
Python side with `widget.add_class('pspc-foo')`: `h.text('pspc-foo')`, `h.set_slider('pspc-foo', 3)`, ...
(a marker that starts with '.', '#' or '[' is used as a CSS selector as it is).
"""
import argparse, http.client, importlib, importlib.util, json, os, re, shutil, signal, socket, struct, subprocess
import sys, time, traceback
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync']
# Lab extensions that are installed here but break inside Voilà's page (console error "Failed to create module").
DENY_EXTENSIONS = ['@jupyter-notebook/lab-extension', '@voila-dashboards/jupyterlab-preview']
# Text of a stderr output / stream that means an error rather than a warning.
ERROR_TEXT = re.compile(r'Traceback \(most recent call last\)|^\s*\w*(Error|Exception|Interrupt)\b.*:|'
                        r'There was an error when executing cell|An exception occurred at the server|'
                        r'Cell execution timed out', re.M)
# Outputs of the page's output areas (cell outputs and Output widgets): mime type and text.
OUTPUTS_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
    .map(e => [e.dataset.mimeType || '', e.innerText])"""


class CheckFailed(AssertionError):
    pass


# ---------------------------------------------------------------- Voilà server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def http_answers(port: int) -> bool:
    "Any HTTP status counts; a static path, so that the probe does not start a kernel (GET / executes the notebook)."
    try:
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=2)
        c.request('HEAD', '/voila/static/')
        c.getresponse()
        return True
    except OSError:
        return False


def child_pids(pid: int) -> list:
    "Direct children (Voilà's kernels run in their own session, so a process-group kill does not reach them)."
    out = []
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            if int(stat.read_text().rsplit(')', 1)[1].split()[1]) == pid: out.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            pass
    return out


class Voila:
    "Context manager: a Voilà server for one notebook; `url` once it answers; killed (group + kernels) on exit."

    def __init__(self, notebook: Path, out: Path, extra=(), start_timeout=120):
        self.notebook, self.out, self.extra, self.start_timeout = notebook, out, list(extra), start_timeout

    def __enter__(self):
        self.port = free_port()
        cmd = [sys.executable, '-m', 'voila', self.notebook.name, '--no-browser', f'--port={self.port}',
               '--Voila.ip=127.0.0.1', '--Voila.port_retries=0', '--show_tracebacks=True',
               *[f'--VoilaConfiguration.extension_denylist={e}' for e in DENY_EXTENSIONS], *self.extra]
        env = dict(os.environ, PYTHONUNBUFFERED='1')
        # The `python3` kernelspec runs plain `python`: put this interpreter's bin first so the kernel is this python.
        env['PATH'] = os.path.dirname(sys.executable) + os.pathsep + env.get('PATH', '')
        self.log = open(self.out / 'voila.log', 'w')
        self.log.write(' '.join(cmd) + '\n'); self.log.flush()
        self.proc = subprocess.Popen(cmd, cwd=self.notebook.parent, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        t0 = time.time()
        try:
            while not http_answers(self.port):
                if self.proc.poll() is not None: raise CheckFailed(f'voila exited with {self.proc.returncode}: '
                                                                   f'see {self.out / "voila.log"}')
                if time.time() - t0 > self.start_timeout: raise CheckFailed('voila did not answer in time')
                time.sleep(0.25)
        except BaseException:
            self.__exit__(); raise
        self.startup_s = time.time() - t0
        self.url = f'http://127.0.0.1:{self.port}/'
        return self

    def __exit__(self, *exc):
        kernels = child_pids(self.proc.pid)
        for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):  # SIGTERM lets Voilà shut its kernels down
            if self.proc.poll() is not None: break
            try: os.killpg(self.proc.pid, sig)
            except ProcessLookupError: break
            try: self.proc.wait(wait)
            except subprocess.TimeoutExpired: pass
        for pid in kernels:  # whatever kernel outlived Voilà
            try:
                if b'ipykernel' in Path(f'/proc/{pid}/cmdline').read_bytes(): os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        self.log.close()


# ---------------------------------------------------------------- kernel websocket

def parse_frame(frame):
    "A Jupyter kernel websocket message -> (channel, msg_type, content); v1 binary protocol or legacy JSON."
    if isinstance(frame, str):
        m = json.loads(frame)
        return m.get('channel'), m.get('header', {}).get('msg_type'), m.get('content', {})
    n = struct.unpack_from('<Q', frame, 0)[0]
    offs = struct.unpack_from(f'<{n}Q', frame, 8)
    part = lambda i: frame[offs[i]:offs[i + 1]].decode()
    return part(0), json.loads(part(1)).get('msg_type'), json.loads(part(4))


# ---------------------------------------------------------------- the helper object handed to scenarios

class Harness:
    def __init__(self, page, out: Path, allow_console=()):
        self.page, self.out, self.allow_console = page, out, [re.compile(r) for r in allow_console]
        self.t0 = time.time()
        self.console, self.page_errors, self.kernel_errors, self.blocked = [], [], [], set()
        self.last_frame, self.kernel_status = time.time(), 'unknown'
        self.iopub_log = open(out / 'kernel_iopub.log', 'w')
        page.on('console', self._on_console)
        page.on('pageerror', lambda e: self.page_errors.append(str(e)))
        page.on('websocket', self._on_websocket)
        page.route('**/*', self._route)

    # -- event plumbing
    def _route(self, route):
        "Only this machine: external requests (CDN fonts, ...) are aborted at once instead of waiting on DNS."
        url = route.request.url
        if re.match(r'(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|data:|blob:', url): route.continue_()
        else: self.blocked.add(url); route.abort()

    def _on_console(self, m):
        self.console.append((f'[{time.time() - self.t0:7.2f}s] {m.type}: {m.text}', m.type, m.location.get('url')))

    def _on_websocket(self, ws):
        def received(frame):
            self.last_frame = time.time()
            try: channel, kind, content = parse_frame(frame)
            except Exception: return
            if kind == 'status': self.kernel_status = content.get('execution_state', self.kernel_status)
            elif kind == 'error':
                self.kernel_errors.append(f"{content.get('ename')}: {content.get('evalue')}\n" +
                                          strip_ansi('\n'.join(content.get('traceback', []))))
            elif kind == 'stream' and content.get('name') == 'stderr' and ERROR_TEXT.search(content.get('text', '')):
                self.kernel_errors.append(strip_ansi(content['text']))
            if kind in ('stream', 'error'):
                self.iopub_log.write(f'[{time.time() - self.t0:7.2f}s] {kind}: {json.dumps(content)[:4000]}\n')
                self.iopub_log.flush()
        ws.on('framereceived', received)
        ws.on('framesent', lambda f: setattr(self, 'last_frame', time.time()))

    # -- addressing
    @staticmethod
    def sel(marker: str) -> str:
        return marker if marker[:1] in '.#[' else '.' + marker

    def widget(self, marker: str):
        "Playwright locator of the widget (strict: an action on it fails if the marker matches several elements)."
        return self.page.locator(self.sel(marker))

    def text(self, marker: str) -> str:
        return self.widget(marker).inner_text().strip()

    def log(self, msg: str):
        print(f'[{time.time() - self.t0:7.2f}s] {msg}', flush=True)

    # -- errors and waiting
    def errors(self) -> list:
        errs = [f'page error output ({mime}):\n{text}' for mime, text in self.page.evaluate(OUTPUTS_JS)
                if mime == 'application/vnd.jupyter.error' or
                (mime == 'application/vnd.jupyter.stderr' and ERROR_TEXT.search(text))]
        errs += [f'kernel error:\n{e}' for e in self.kernel_errors]
        errs += [f'JS page error: {e}' for e in self.page_errors]
        errs += [f'console {line}' for line, kind, url in self.console if kind == 'error' and url not in self.blocked
                 and not any(r.search(line) for r in self.allow_console)]  # (blocked: aborted external requests)
        return errs

    def check(self):
        "Raise CheckFailed if the page, the kernel or the JS side reported an error so far (long ones: their end)."
        if errs := self.errors():
            (self.out / 'errors.txt').write_text('\n\n'.join(errs) + '\n')
            short = ['\n'.join(e.splitlines()[:1] + ['  [...]'] * (len(e.splitlines()) > 30) + e.splitlines()[-25:])
                     if len(e.splitlines()) > 30 else e for e in errs]
            raise CheckFailed('\n\n'.join(short) + f'\n(in full: {self.out / "errors.txt"})')

    def wait(self, cond, what, timeout=120, poll=0.25):
        "Poll `cond()` until it returns a true value (returned); fails fast on an error, CheckFailed on timeout."
        end = time.time() + timeout
        while True:
            self.check()
            if v := cond(): return v
            if time.time() > end:
                raise CheckFailed(f'timed out after {timeout}s waiting for {what() if callable(what) else what}')
            self.page.wait_for_timeout(poll * 1000)

    def settle(self, quiet=0.5, timeout=600):
        "Wait until the kernel is idle and no websocket frame went either way for `quiet` s (callbacks done)."
        self.wait(lambda: self.kernel_status != 'busy' and time.time() - self.last_frame > quiet,
                  'the kernel to go idle', timeout, poll=0.1)

    def wait_for(self, marker: str, timeout=120):
        self.wait(lambda: self.widget(marker).count() > 0, f'{self.sel(marker)} to appear', timeout)
        return self.widget(marker)

    def wait_text(self, marker: str, *, changed_from=None, contains=None, matches=None, timeout=120) -> str:
        "Wait until the widget's text differs from `changed_from` / contains `contains` / matches regex `matches`."
        now = lambda: self.text(marker) if self.widget(marker).count() else None
        def ok():
            t = now()
            good = t is not None and (changed_from is None or t != changed_from) and \
                (contains is None or contains in t) and (matches is None or re.search(matches, t))
            return t if good else None
        return self.wait(ok, lambda: f'text of {self.sel(marker)} (changed_from={changed_from!r}, '
                                     f'contains={contains!r}, matches={matches!r}; it is {now()!r})', timeout)

    def expect(self, cond, msg: str):
        if not cond: raise CheckFailed(f'assertion failed: {msg}')

    # -- actions (each waits for the kernel to settle afterwards)
    def set_slider(self, marker: str, position, settle=True) -> str:
        """Move an ipywidgets 8 slider (noUiSlider) to `position`: the value for Int/FloatSlider, the option index for
        SelectionSlider (what the handle's aria-valuenow holds). Drags the handle with the mouse, adjusting while the
        button is held until aria-valuenow is right, then releases: with continuous_update=False exactly one value
        reaches Python. Only if the drag cannot hit it (steps finer than a pixel) arrow keys finish the job, each
        press sending one more value. Returns the readout text."""
        w = self.widget(marker)
        handle, track = w.locator('.noUi-handle'), w.locator('.noUi-base')
        lo, hi = (float(handle.get_attribute(a)) for a in ('aria-valuemin', 'aria-valuemax'))
        now = lambda: float(handle.get_attribute('aria-valuenow'))
        if abs(now() - position) > 1e-9:
            hb, box = handle.bounding_box(), track.bounding_box()
            x, y = box['x'] + (position - lo) / ((hi - lo) or 1) * box['width'], box['y'] + box['height'] / 2
            self.page.mouse.move(hb['x'] + hb['width'] / 2, hb['y'] + hb['height'] / 2)
            self.page.mouse.down()
            self.page.mouse.move(x, y, steps=5)
            for _ in range(40):  # sub-pixel corrections while the button is still down
                if abs(now() - position) < 1e-9: break
                x += 0.5 if now() < position else -0.5
                self.page.mouse.move(x, y)
            self.page.mouse.up()
        for _ in range(20):  # nudge (the step is unknown here, so compare positions)
            if abs(now() - position) < 1e-9: break
            before = now()
            handle.press('ArrowRight' if now() < position else 'ArrowLeft')
            if (before - position) * (now() - position) < 0: break  # stepped over: position is not on the grid
        self.expect(abs(now() - position) < 1e-9, f'{self.sel(marker)} at {position} (it is at {now()})')
        if settle: self.settle()
        return w.locator('.widget-readout').inner_text().strip()

    def press_slider(self, marker: str, key: str, times=1, settle=True):
        "Keys on the slider handle: ArrowRight/ArrowLeft (one step), PageUp/PageDown (5 steps), Home/End."
        handle = self.widget(marker).locator('.noUi-handle')
        for _ in range(times): handle.press(key)
        if settle: self.settle()

    def select(self, marker: str, label: str, settle=True):
        "Choose an option of a Dropdown / Select (by its label)."
        self.widget(marker).locator('select').select_option(label=label)
        if settle: self.settle()

    def click_image(self, marker: str, x: float, y: float, settle=True):
        """Click an ipywidgets.Image at image pixel (x, y), whatever its displayed size: the displayed offset is
        x * width / naturalWidth, which ipyevents maps back to dataX = round(offset * naturalWidth / width)."""
        img = self.widget(marker)
        nw, nh, w, h = img.evaluate('e => [e.naturalWidth, e.naturalHeight, e.width, e.height]')
        img.click(position={'x': min(x * w / nw, w - 0.5), 'y': min(y * h / nh, h - 0.5)})
        if settle: self.settle()

    def screenshot(self, name: str) -> Path:
        path = self.out / f'{name}.png'
        self.page.screenshot(path=str(path), full_page=True)
        return path

    # -- first render
    def open(self, url: str, ready='.jupyter-widgets', timeout=600):
        "Load the page; wait until Voilà has executed every cell (document complete) and the widgets are rendered."
        t0 = time.time()
        self.page.goto(url, wait_until='commit', timeout=timeout * 1000)
        count = lambda: self.page.evaluate("s => document.readyState === 'complete' ? "
                                           "document.querySelectorAll(s).length : 0", ready)
        last = [-1]
        def stable():  # at least one `ready` element, and the count unchanged since the previous poll
            n, prev = count(), last[0]
            last[0] = n
            return n > 0 and n == prev
        self.wait(stable, f'the notebook to render ({ready})', timeout, poll=0.5)
        self.settle(quiet=1.0, timeout=timeout)
        self.render_s = time.time() - t0

    def close(self):
        (self.out / 'console.log').write_text(''.join(line + '\n' for line, _, _ in self.console))
        self.iopub_log.close()


def strip_ansi(s: str) -> str:
    return re.sub(r'\x1b\[[0-9;]*m', '', s)


def load_scenario(spec: str):
    "FILE.py[:func] or module[:func]; func defaults to `scenario`."
    target, _, func = spec.partition(':')
    if target.endswith('.py') or os.path.exists(target):
        s = importlib.util.spec_from_file_location(Path(target).stem, target)
        mod = importlib.util.module_from_spec(s); s.loader.exec_module(mod)
    else:
        mod = importlib.import_module(target)
    return getattr(mod, func or 'scenario')


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('notebook', type=Path)
    ap.add_argument('--scenario', help='FILE.py:func or module:func, called with the Harness; none: render only')
    ap.add_argument('--out', type=Path, help='output folder (default: runs/browser_check/NOTEBOOK_STEM, git-ignored)')
    ap.add_argument('--render-timeout', type=float, default=600, help='seconds for the first render')
    ap.add_argument('--ready', default='.jupyter-widgets',
                    help="CSS selector that must be present once rendered ('body' for a notebook without widgets)")
    ap.add_argument('--voila-arg', action='append', default=[], help='extra voila argument (repeatable)')
    ap.add_argument('--allow-console', action='append', default=[], help='regex of a console error to tolerate')
    ap.add_argument('--chromium', default=shutil.which('chromium') or shutil.which('chromium-browser'))
    ap.add_argument('--viewport', default='1280x900')
    a = ap.parse_args(argv)
    if not a.notebook.is_file(): ap.error(f'no notebook {a.notebook}')
    a.out = a.out or Path('runs/browser_check') / a.notebook.stem
    kernel = json.loads(a.notebook.read_text()).get('metadata', {}).get('kernelspec', {}).get('name')
    if kernel != 'python3': print(f'warning: {a.notebook} asks for kernel {kernel!r}; Voilà starts that one', file=sys.stderr)
    if a.out.exists() and any(a.out.iterdir()) and not (a.out / 'report.json').is_file():   # report.json: a folder this script wrote
        ap.error(f'--out {a.out}: not empty and not an earlier browser_check output; refusing to write (or delete) files there')
    a.out.mkdir(parents=True, exist_ok=True)
    for old in [*a.out.glob('*.png'), a.out / 'errors.txt', a.out / 'report.json']: old.unlink(missing_ok=True)   # nothing stale from an earlier run
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that the `finally`s below still run
    scenario = load_scenario(a.scenario) if a.scenario else None
    report, h, t0 = {'notebook': str(a.notebook), 'scenario': a.scenario}, None, time.time()
    try:
        with Voila(a.notebook.resolve(), a.out.resolve(), a.voila_arg) as v, sync_playwright() as p:
            report['voila_startup_s'] = round(v.startup_s, 2)
            browser = p.chromium.launch(executable_path=a.chromium, args=CHROMIUM_ARGS)
            vw, vh = map(int, a.viewport.split('x'))
            h = Harness(browser.new_page(viewport={'width': vw, 'height': vh}), a.out, a.allow_console)
            try:
                h.open(v.url, ready=a.ready, timeout=a.render_timeout)
                report['first_render_s'] = round(h.render_s, 2)
                h.log(f'rendered in {h.render_s:.1f}s (voila up in {v.startup_s:.1f}s)')
                h.screenshot('rendered')
                if scenario: scenario(h)
                h.settle(); h.check()
                h.screenshot('final')
            except BaseException:
                try: h.screenshot('failure')
                except Exception: pass
                raise
            finally:
                h.close(); browser.close()
        report['result'] = 'passed'
    except (Exception, KeyboardInterrupt, SystemExit) as e:
        report['result'], report['error'] = 'failed', f'{type(e).__name__}: {e}'
        if isinstance(e, (KeyboardInterrupt, SystemExit)): report['error'] = 'interrupted'
        elif not isinstance(e, CheckFailed): report['traceback'] = traceback.format_exc()
    report['total_s'] = round(time.time() - t0, 2)
    (a.out / 'report.json').write_text(json.dumps(report, indent=1) + '\n')
    if report['result'] == 'passed':
        print(f"browser_check PASSED: {a.notebook} (render {report['first_render_s']}s, total {report['total_s']}s)"
              f"; screenshots and logs in {a.out}")
        return 0
    shot = f"screenshot: {a.out / 'failure.png'}; " if (a.out / 'failure.png').exists() else ''
    print(f"browser_check FAILED: {a.notebook}\n{report['error']}\n{report.get('traceback', '')}"
          f"{shot}voila log: {a.out / 'voila.log'}; report: {a.out / 'report.json'}", file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main())
