#!/usr/bin/python3
"""Prints the rows of a gtxsim trace where state, LED word, protections,
faults or alarms change: a quick way to read what a scenario did."""
import csv
import sys

KEYS = ("state", "leds", "protect", "fault", "alarm", "dry_chg", "dry_dsg")


def main(path):
    last = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            pack = row["pack"]
            key = tuple(row[k] for k in KEYS)
            if last.get(pack) != key:
                last[pack] = key
                print(f'{float(row["t_s"]):>10.2f} p{pack} {row["state"]:<17} {row["leds"]} '
                      f'soc={row["soc"]:>3} true={row["true_soc"]:>6} V={row["voltage_v"]} '
                      f'I={row["current_a"]} T={row["temp_max_c"]} ccl={row["ccl_a"]} '
                      f'dcl={row["dcl_a"]} dry={row["dry_chg"]}{row["dry_dsg"]} '
                      f'P={row["protect"]} F={row["fault"]} A={row["alarm"]}')


if __name__ == "__main__":
    main(sys.argv[1])
