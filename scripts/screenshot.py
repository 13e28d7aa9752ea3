#!/usr/bin/env python3
"""Takes a PNG screenshot of the real cks console: runs it in tmux, types keys, captures the pane with its
colours (tmux capture-pane -e) and draws the cells with DejaVu Sans Mono. Needs tmux and Pillow.

    scripts/screenshot.py OUTPUT.png [--size 130x34] [--keys "j j"] [--wait 2] -- COMMAND...
"""
import argparse, os, re, subprocess, tempfile, time
from PIL import Image, ImageDraw, ImageFont

PALETTE = [(30, 30, 36), (224, 108, 117), (152, 195, 121), (229, 192, 123), (97, 175, 239), (198, 120, 221),
           (86, 182, 194), (200, 204, 212), (92, 99, 112), (240, 128, 138), (170, 215, 140), (240, 205, 140),
           (120, 190, 250), (210, 140, 230), (110, 200, 210), (255, 255, 255)]
FOREGROUND, BACKGROUND = (212, 216, 224), (24, 26, 32)

def xterm256(n):
    if n < 16: return PALETTE[n]
    if n < 232:
        n -= 16; steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    v = 8 + (n - 232) * 10; return (v, v, v)

def parse(lines):
    """Yields rows of (char, fg, bg, bold, dim) from text with SGR escapes."""
    rows = []
    for line in lines:
        fg, bg, bold, dim, reverse = None, None, False, False, False
        row, i = [], 0
        while i < len(line):
            m = re.match(r'\x1b\[([0-9;]*)m', line[i:])
            if m:
                codes = [int(c) if c else 0 for c in m.group(1).split(';')] or [0]
                j = 0
                while j < len(codes):
                    c = codes[j]
                    if c == 0: fg, bg, bold, dim, reverse = None, None, False, False, False
                    elif c == 1: bold = True
                    elif c == 2: dim = True
                    elif c == 7: reverse = True
                    elif c == 22: bold = dim = False
                    elif c == 27: reverse = False
                    elif 30 <= c <= 37: fg = PALETTE[c - 30]
                    elif 90 <= c <= 97: fg = PALETTE[c - 90 + 8]
                    elif 40 <= c <= 47: bg = PALETTE[c - 40]
                    elif 100 <= c <= 107: bg = PALETTE[c - 100 + 8]
                    elif c == 39: fg = None
                    elif c == 49: bg = None
                    elif c in (38, 48) and j + 2 < len(codes) and codes[j + 1] == 5:
                        color = xterm256(codes[j + 2]); j += 2
                        if c == 38: fg = color
                        else: bg = color
                    elif c in (38, 48) and j + 4 < len(codes) and codes[j + 1] == 2:
                        color = tuple(codes[j + 2:j + 5]); j += 4
                        if c == 38: fg = color
                        else: bg = color
                    j += 1
                i += m.end(); continue
            f, b = fg or FOREGROUND, bg or BACKGROUND
            if reverse: f, b = b, f
            if dim: f = tuple((x + y) // 2 for x, y in zip(f, b))
            row.append((line[i], f, b, bold)); i += 1
        rows.append(row)
    return rows

def render(rows, cols, path):
    font = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf', 15)
    bold = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf', 15)
    fallback = ImageFont.truetype('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', 15)
    cw, ch = int(font.getlength('M')), 20
    pad = 14
    img = Image.new('RGB', (cols * cw + 2 * pad, len(rows) * ch + 2 * pad), BACKGROUND)
    d = ImageDraw.Draw(img)
    for y, row in enumerate(rows):
        for x, (c, f, b, is_bold) in enumerate(row):
            px, py = pad + x * cw, pad + y * ch
            if b != BACKGROUND: d.rectangle([px, py, px + cw, py + ch], fill=b)
            if c != ' ':
                face = fallback if 0x2800 <= ord(c) <= 0x28FF else (bold if is_bold else font)
                d.text((px, py + 2), c, font=face, fill=f)
    img.save(path)

def main():
    p = argparse.ArgumentParser()
    p.add_argument('output'); p.add_argument('--size', default='130x34')
    p.add_argument('--keys', default=''); p.add_argument('--wait', type=float, default=2.0)
    argv = os.sys.argv[1:]
    split = argv.index('--') if '--' in argv else len(argv)
    a = p.parse_args(argv[:split])
    cmd = argv[split + 1:]
    cols, rows = map(int, a.size.split('x'))
    name = f'cks-shot-{os.getpid()}'
    env = 'env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 '
    subprocess.run(['tmux', 'new-session', '-d', '-s', name, '-x', str(cols), '-y', str(rows),
                    env + ' '.join(map(lambda s: "'" + s + "'", cmd)) + '; sleep 60'], check=True)
    try:
        time.sleep(a.wait)
        for key in a.keys.split():
            subprocess.run(['tmux', 'send-keys', '-t', name, key], check=True); time.sleep(0.3)
        time.sleep(a.wait)
        text = subprocess.run(['tmux', 'capture-pane', '-p', '-e', '-t', name], capture_output=True, text=True).stdout
        render(parse(text.split('\n')[:rows]), cols, a.output)
    finally:
        subprocess.run(['tmux', 'kill-session', '-t', name])

if __name__ == '__main__':
    main()
