#!/bin/sh
# cross_check.sh SRC_ROOT OUT_DIR: compiles every src/bms/*.c for a Cortex-M4F, checks
# that the objects reference nothing outside themselves but memcpy/memset/memmove,
# prints the flash and sizeof(struct bms) and fails over 48 KB flash or 8 KB RAM.
set -eu
src=$1
out=$2
flags="-std=c11 -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -ffreestanding
 -Os -Wall -Wextra -Werror -Wdouble-promotion -fno-common -I$src/include"
rm -rf "$out"
mkdir -p "$out"
for f in "$src"/src/bms/*.c; do
    # shellcheck disable=SC2086
    arm-none-eabi-gcc $flags -I"$src/src/bms" -c "$f" -o "$out/$(basename "$f" .c).o"
done
arm-none-eabi-ld -r -o "$out/firmware.o" "$out"/bms*.o
undefined=$(arm-none-eabi-nm -u "$out/firmware.o" | awk '{print $2}' |
            grep -v -x -e memcpy -e memset -e memmove || true)
if [ -n "$undefined" ]; then
    echo "FAIL: the firmware objects reference outside symbols:"
    echo "$undefined"
    exit 1
fi
writable=$(arm-none-eabi-nm "$out/firmware.o" | awk '$2 ~ /^[bBdDcC]$/' || true)
if [ -n "$writable" ]; then
    echo "FAIL: writable static data:"
    echo "$writable"
    exit 1
fi
# Berkeley format: text includes .rodata; flash = text + data.
set -- $(arm-none-eabi-size "$out/firmware.o" | tail -1)
flash=$(($1 + $2))
# The probe sees include/ only, as every user of the firmware does.
printf '#include "gtx/bms.h"\nchar bms_size_probe[sizeof(struct bms)];\n' > "$out/probe.c"
# shellcheck disable=SC2086
arm-none-eabi-gcc $flags -c "$out/probe.c" -o "$out/probe.o"
ram=$(arm-none-eabi-nm -S "$out/probe.o" | awk '$4 == "bms_size_probe" {print $2}')
ram=$((0x$ram))
echo "flash (.text+.rodata+.data): $flash bytes (budget 49152)"
echo "RAM sizeof(struct bms): $ram bytes (budget 8192)"
arm-none-eabi-size "$out"/bms*.o
[ "$flash" -le 49152 ] || { echo "FAIL: flash over budget"; exit 1; }
[ "$ram" -le 8192 ] || { echo "FAIL: RAM over budget"; exit 1; }
echo "ok"
