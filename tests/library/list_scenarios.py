#!/usr/bin/python3
"""Prints every scenario of the library, one path a line: DIR/*.json and DIR/*/*.json."""
import glob
import sys

for path in sorted(glob.glob(sys.argv[1] + "/*.json") + glob.glob(sys.argv[1] + "/*/*.json")):
    print(path)
