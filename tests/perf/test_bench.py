#!/usr/bin/python3
"""gtxsim bench (docs/spec/CLI.md): the five figures with the reference beside each; the
day's two passes print the real-time factor and ns per pack-instant; its standard day is a
valid scenario whose expectations hold; bad arguments exit 2. No timing is asserted: the figures only have to be there."""
import os
import re
import subprocess
import sys
import tempfile

GTXSIM = sys.argv[1]


def run(*args):
    return subprocess.run([GTXSIM, *args], capture_output=True, text=True, timeout=240)


def main():
    failures = []

    def check(cond, what):
        if not cond:
            failures.append(what)

    r = run('bench', '--days', '0.01', '--tick', '10ms')
    check(r.returncode == 0, f'bench --days 0.01 --tick 10ms exit {r.returncode}: {r.stderr}')
    out = r.stdout
    check('1 pack, 0.01 days (864 s simulated), reference mode (every 10 ms tick)' in out,
          'header line with pack count, days and the reference mode')
    rtf = [float(x) for x in re.findall(r'real-time factor +([0-9.]+)x', out)]
    ns_pt = [float(x) for x in re.findall(r'ns per pack-instant +([0-9.]+)', out)]
    ns_t = [float(x) for x in re.findall(r'ns per instant +([0-9.]+)', out)]
    ticks = re.findall(r'for (\d+) instants', out)
    check(len(rtf) == 2 and all(x > 0 for x in rtf), f'two positive real-time factors: {rtf}')
    check(len(ns_pt) == 2 and all(x > 0 for x in ns_pt), f'two ns per pack-instant: {ns_pt}')
    check(len(ns_t) == 2, f'two ns per instant: {ns_t}')
    # 864 s of 10 ms ticks, every one visited in the reference mode
    check(ticks == ['86400', '86400'], f'86400 instants per pass: {ticks}')
    # The day's expectations (one per pack and the system's CAN protect word) hold.
    check(re.search(r'expectations +2 passed, 0 failed', out) is not None,
          'expectations 2 passed, 0 failed')

    # Tickless (the default): the same day in fewer instants, the same verdicts.
    r = run('bench', '--days', '0.01')
    check(r.returncode == 0, f'bench --days 0.01 exit {r.returncode}: {r.stderr}')
    check('1 pack, 0.01 days (864 s simulated), tickless' in r.stdout, 'tickless header')
    inst = [int(x) for x in re.findall(r'for (\d+) instants', r.stdout)]
    check(len(inst) == 2 and 0 < inst[0] < 86400, f'tickless visits fewer instants: {inst}')
    check(re.search(r'expectations +2 passed, 0 failed', r.stdout) is not None,
          'tickless: expectations 2 passed, 0 failed')

    # The five figures (spans scaled down): each line with both modes, the load average.
    # (--scale 0.005: the day is 432 s, a 4-pack part 1.125 s, longer than any gap
    # between two instants of the day, so that no instant steps over a part)
    r = run('bench', '--scale', '0.005', '--repeat', '2')
    check(r.returncode == 0, f'bench --scale 0.005 --repeat 2 exit {r.returncode}: {r.stderr}')
    check('the fastest of 2 runs each (figure 4: from 2 pairs of days taking turns)' in r.stdout,
          f'the header names the runs:\n{r.stdout}')
    check(len(re.findall(r'slowest run', r.stdout)) == 3,
          'figures 1-3 print their slowest run beside the fastest')
    for n, what in ((1, 'standard day'), (2, 'month in standby'), (3, 'shut-down year'),
                    (4, '4 packs against 1'), (5, 'per simulated second')):
        check(re.search(r'^%d .*%s.* \| ' % (n, what), r.stdout, re.M) is not None,
              f'figure {n} ({what}) with the reference beside it:\n{r.stdout}')
    check(r.stdout.count('load average') == 2, 'the load average at the start and the end')
    # Figure 4: from two pairs of days run taking turns (each part's least CPU time),
    # with the pairs' own ratios beside it, in both modes (a pair that never handed
    # over, or lost a run, has no turns or no ratio).
    m = re.search(r'^4 .* ([0-9.]+)x \| +([0-9.]+)x +\(cost ratio: each part\'s least CPU time '
                  r'over 2 pairs of days run taking turns; the pairs\' own ([0-9.]+)-([0-9.]+)x '
                  r'\| ([0-9.]+)-([0-9.]+)x; parts ([0-9]+) and ([0-9]+)\)', r.stdout, re.M)
    check(m is not None, f'figure 4 from 2 pairs taking turns:\n{r.stdout}')
    if m:
        fig_t, fig_r, lo_t, hi_t, lo_r, hi_r = (float(x) for x in m.groups()[:6])
        check(fig_t > 0 and fig_r > 0 and 0 < lo_t <= hi_t and 0 < lo_r <= hi_r,
              f'figure 4: positive, each range low <= high, in both modes: {m.groups()}')
        # 96 turns of 15 minutes (scaled) and the last, short one: one part each for
        # 1 pack, four for 4 packs (parts of equal cost).
        one, four = int(m.group(7)), int(m.group(8))
        check(96 <= one <= 97 and 4 * 96 <= four <= 4 * 96 + 1,
              f'figure 4: 96-97 parts of the 1-pack day, 384-385 of the 4-pack day: {one}, {four}')

    # Four packs: ns per pack-tick is ns per tick / 4.
    r = run('bench', '--packs', '4', '--days', '0.002')
    check(r.returncode == 0, f'bench --packs 4 exit {r.returncode}: {r.stderr}')
    m_t = re.search(r'ns per instant +([0-9.]+)', r.stdout)
    m_pt = re.search(r'ns per pack-instant +([0-9.]+)', r.stdout)
    check(m_t and m_pt and abs(float(m_t.group(1)) / 4 - float(m_pt.group(1))) <= 1.0,
          'ns per pack-instant is ns per instant over 4 packs')
    check(re.search(r'expectations +5 passed, 0 failed', r.stdout) is not None,
          '4 packs: expectations 5 passed, 0 failed')

    # The standard day as a scenario: valid for gtxsim check, the day's steps.
    r = run('bench', '--scenario', '--packs', '2', '--days', '1')
    check(r.returncode == 0, 'bench --scenario exits 0')
    text = r.stdout
    check('"duration": 86400.000' in text, 'one day is 86400 s')
    check('{"at": 32400, "do": "inverter", "power_w": 1800}' in text,
          'midday PV at 09:00 is 900 W per pack (two packs: 1800 W)')
    check('{"at": 64800, "do": "inverter", "power_w": -600}' in text,
          'evening load at 18:00 is 300 W per pack')
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, 'bench-day.json')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
        r = run('check', path)
        check(r.returncode == 0, f'gtxsim check accepts the day: {r.stderr}')

    for bad in (['--packs', '0'], ['--packs', '5'], ['--days', '0'], ['--days', 'x'],
                ['--scale', '0'], ['--scale', '2'], ['--tick', '5ms'], ['--repeat', '0'],
                ['--repeat', '101'], ['--frobnicate']):
        r = run('bench', *bad)
        check(r.returncode == 2, f'bench {" ".join(bad)} exits 2 (got {r.returncode})')

    for f in failures:
        print('FAIL:', f)
    print(f'{len(failures)} failures')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
