#!/usr/bin/python3
"""test_dbc: the project's DBC (assets/can/gtx2500-pylon.dbc) read by canmatrix
decodes hand-made frames to the physical values of docs/spec/CAN.md, and the C decoder
(through tests/world/pylon_dump) decodes the same frames, and many generated
ones, to the same values. Usage: test_dbc.py DBC_PATH PYLON_DUMP_PATH
"""
import contextlib
import io
import random
import subprocess
import sys

with contextlib.redirect_stdout(io.StringIO()):  # canmatrix lists missing optional formats
    import canmatrix
    import canmatrix.formats

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL: " + what)


# DBC signal -> C decoder key, per frame. The bit signals of 0x359 and the
# characters of 0x35E are compared as the words and string they make up.
SIGNAL_KEYS = {
    0x351: {"ChargeVoltageLimit": "cvl_v", "ChargeCurrentLimit": "ccl_a",
            "DischargeCurrentLimit": "dcl_a", "DischargeVoltageLimit": "dvl_v"},
    0x355: {"SOC": "soc_pct", "SOH": "soh_pct", "SOCHighRes": "soc_hires_pct",
            "RemainingCapacity": "remaining_ah"},
    0x356: {"Voltage": "voltage_v", "Current": "current_a", "Temperature": "temp_c",
            "CycleCount": "cycles"},
    0x359: {"PacksOnline": "packs_online"},
    0x35C: {"ChargeEnable": "charge_enable", "DischargeEnable": "discharge_enable",
            "FullChargeRequest": "full_charge_request"},
}
PROTECT_BITS = {"ProtectOverVoltage": 1, "ProtectUnderVoltage": 2, "ProtectOverTemp": 3,
                "ProtectUnderTemp": 4, "ProtectDischargeOverCurrent": 7,
                "ProtectChargeOverCurrent": 8, "ProtectSystemError": 11}
ALARM_BITS = {"AlarmOverVoltage": 1, "AlarmUnderVoltage": 2, "AlarmOverTemp": 3,
              "AlarmUnderTemp": 4, "AlarmDischargeOverCurrent": 7,
              "AlarmChargeOverCurrent": 8, "AlarmInternalComm": 11}
# The bits docs/spec/CAN.md defines; all others are 0 by rule, so generated frames use only these.
WORD_MASK = sum(1 << b for b in PROTECT_BITS.values())


def dbc_decode(db, can_id, data):
    frame = db.frame_by_id(canmatrix.ArbitrationId(can_id))
    sig = {name: float(v.phys_value) for name, v in frame.decode(bytes(data)).items()}
    out = {}
    for name, key in SIGNAL_KEYS.get(can_id, {}).items():
        out[key] = sig[name]
    if can_id == 0x359:
        out["protect_word"] = float(sum(1 << b for n, b in PROTECT_BITS.items() if sig[n]))
        out["alarm_word"] = float(sum(1 << b for n, b in ALARM_BITS.items() if sig[n]))
    if can_id == 0x35C:
        out["force_charge"] = float(bool(sig["ForceChargeRequestI"] or
                                         sig["ForceChargeRequestII"]))
    if can_id == 0x35E:
        out["manufacturer"] = "".join(chr(int(sig["ManufacturerChar%d" % i]))
                                      for i in range(8))
    return out


def c_decode(tool, frames):
    args = ["%03X#%s" % (i, bytes(d).hex().upper()) for i, d in frames]
    text = subprocess.run([tool] + args, check=True, capture_output=True,
                          text=True).stdout
    results = []
    for line in text.splitlines():
        fields = {}
        head, _, rest = line.partition(" ")
        if 'manufacturer="' in rest:
            fields["manufacturer"] = rest.split('manufacturer="', 1)[1].rsplit('"', 1)[0]
        else:
            for item in rest.split():
                key, _, value = item.partition("=")
                fields[key] = float(value)
        results.append((int(head, 16), fields))
    return results


def compare(db, tool, frames, label):
    decoded = c_decode(tool, frames)
    check(len(decoded) == len(frames), "%s: %d lines for %d frames" %
          (label, len(decoded), len(frames)))
    for (can_id, data), (c_id, c_fields) in zip(frames, decoded):
        check(c_id == can_id, "%s: id %03X vs %03X" % (label, c_id, can_id))
        d_fields = dbc_decode(db, can_id, data)
        check(set(d_fields) == set(c_fields), "%s %03X: keys %s vs %s" %
              (label, can_id, sorted(d_fields), sorted(c_fields)))
        for key, want in d_fields.items():
            got = c_fields.get(key)
            if isinstance(want, str):
                ok = got == want
            else:
                ok = got is not None and abs(got - want) <= 1e-6 * max(1.0, abs(want))
            check(ok, "%s %03X %s: DBC %r, C %r (data %s)" %
                  (label, can_id, key, want, got, bytes(data).hex()))


def main():
    db_path, tool = sys.argv[1], sys.argv[2]
    db = canmatrix.formats.loadp_flat(db_path)

    # The DBC carries the frames of docs/spec/CAN.md with their sizes and signedness.
    sizes = {0x351: 8, 0x355: 8, 0x356: 8, 0x359: 8, 0x35C: 2, 0x35E: 8, 0x305: 8}
    for can_id, size in sizes.items():
        frame = db.frame_by_id(canmatrix.ArbitrationId(can_id))
        check(frame is not None, "frame %03X in the DBC" % can_id)
        if frame is not None:
            check(frame.size == size, "%03X size %d, want %d" % (can_id, frame.size, size))
    signed = {"ChargeCurrentLimit", "DischargeCurrentLimit", "Voltage", "Current",
              "Temperature"}
    for frame in db.frames:
        for s in frame.signals:
            check(s.is_little_endian, "%s little endian" % s.name)
            check(s.is_signed == (s.name in signed), "%s signedness" % s.name)

    # Hand-made frames (bytes worked out from docs/spec/CAN.md) and their physical values.
    hand = [
        (0x351, [0x2D, 0x02, 0xFA, 0x00, 0x2C, 0x01, 0xC8, 0x01],
         {"cvl_v": 55.7, "ccl_a": 25.0, "dcl_a": 30.0, "dvl_v": 45.6}),
        (0x355, [0x3C, 0x00, 0x62, 0x00, 0x63, 0x17, 0x2B, 0x01],
         {"soc_pct": 60, "soh_pct": 98, "soc_hires_pct": 59.87, "remaining_ah": 29.9}),
        (0x356, [0x72, 0x14, 0x85, 0xFF, 0xCC, 0xFF, 0x11, 0x00],
         {"voltage_v": 52.34, "current_a": -12.3, "temp_c": -5.2, "cycles": 17}),
        (0x359, [0x08, 0x08, 0x02, 0x08, 0x02, 0x50, 0x4E, 0x00],
         {"protect_word": 0x0808, "alarm_word": 0x0802, "packs_online": 2}),
        (0x35C, [0xF8, 0x00],
         {"charge_enable": 1, "discharge_enable": 1, "force_charge": 1,
          "full_charge_request": 1}),
        (0x35C, [0x40, 0x00],
         {"charge_enable": 0, "discharge_enable": 1, "force_charge": 0,
          "full_charge_request": 0}),
        (0x35E, list(b"PYLON   "), {"manufacturer": "PYLON   "}),
    ]
    for can_id, data, want in hand:
        got = dbc_decode(db, can_id, data)
        for key, value in want.items():
            if isinstance(value, str):
                ok = got.get(key) == value
            else:
                ok = abs(got.get(key, float("nan")) - value) <= 1e-9
            check(ok, "DBC %03X %s: want %r, got %r" % (can_id, key, value, got.get(key)))
    compare(db, tool, [(i, d) for i, d, _ in hand], "hand")

    # Generated frames over the whole range of every field: both decoders agree.
    rng = random.Random(4)
    frames = []
    for _ in range(300):
        for can_id in (0x351, 0x355, 0x356):
            frames.append((can_id, [rng.randrange(256) for _ in range(8)]))
        word_p, word_a = rng.randrange(1 << 16) & WORD_MASK, rng.randrange(1 << 16) & WORD_MASK
        frames.append((0x359, [word_p & 0xFF, word_p >> 8, word_a & 0xFF, word_a >> 8,
                               rng.randrange(5), 0x50, 0x4E, 0]))
        frames.append((0x35C, [rng.randrange(256) & 0xF8, 0]))
        frames.append((0x35E, [rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ ") for _ in range(8)]))
    compare(db, tool, frames, "generated")

    n_checked = len(hand) + len(frames)
    if FAILURES:
        print("%d failures over %d frames" % (len(FAILURES), n_checked))
        return 1
    print("DBC and C decoder agree on %d frames" % n_checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
