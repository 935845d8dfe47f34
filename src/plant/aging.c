/* aging.c: placeholder until written. */
extern int plant_placeholder_aging;
