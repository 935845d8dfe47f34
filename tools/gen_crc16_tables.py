#!/usr/bin/env python3
"""Prints the CRC-16/CCITT-FALSE tables of src/bms/bms_crc.c (poly 0x1021).

crc16_table[0][b] is the CRC register's update for the byte b (a register of 0); each
next table is the one before advanced by one more zero byte, so that eight bytes cost
eight lookups (slice by 8: src/bms/bms_crc.c says why). Run it and paste its output over the
tables in src/bms/bms_crc.c; tests/bms_services/test_crc.c checks the result against
the CRC computed bit by bit.
"""

POLY = 0x1021
SLICES = 8


def byte_update(b):
    """The register after the byte b entered a register of 0, bit by bit."""
    crc = b << 8
    for _ in range(8):
        crc = ((crc << 1) ^ POLY if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def main():
    tables = [[byte_update(b) for b in range(256)]]
    for _ in range(1, SLICES):
        prev = tables[-1]
        # one more zero byte: crc' = (crc << 8) ^ T0[crc >> 8]
        tables.append([((v << 8) & 0xFFFF) ^ tables[0][v >> 8] for v in prev])
    print("static const uint16_t crc16_table[%d][256] = {" % SLICES)
    for t in tables:
        print("    {")
        for row in range(0, 256, 8):
            print("        " + " ".join("0x%04X," % v for v in t[row:row + 8]))
        print("    },")
    print("};")


if __name__ == "__main__":
    main()
