#!/usr/bin/python3
"""Checks a screenshot of the window after the xvfb start test: the pack must
be running in standby at 50 % (docs/spec/PRODUCT.md §4: L1-L3 lit, L4-L7 dark; L8 is
flash 1 and may be either). A small PNG reader on zlib, no imaging library.
usage: png_leds.py SHOT.png LAYOUT.csv"""
import csv
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and inter == 0, "unsupported PNG"
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


def main():
    w, h, bpp, rows = read_png(sys.argv[1])
    sx, sy = w / 1280.0, h / 800.0  # the window may be scaled
    want = {"L1": True, "L2": True, "L3": True, "L4": False, "L5": False, "L6": False,
            "L7": False}
    bad = []
    for r in csv.DictReader(open(sys.argv[2])):
        if r["packs"] != "1" or r["item"] not in want:
            continue
        x, y = int(int(r["x"]) * sx), int(int(r["y"]) * sy)
        px = rows[y][x * bpp:x * bpp + 3]
        lit = px[0] > 150 or px[1] > 150
        print(f"{r['item']}: rgb {tuple(px)} {'lit' if lit else 'dark'}")
        if lit != want[r["item"]]:
            bad.append(r["item"])
    if bad:
        print("wrong LEDs:", " ".join(bad))
        return 1
    print("the pack started by a real mouse press shows standby at 50 %")
    return 0


sys.exit(main())
