/* pack.c: placeholder until written. */
extern int plant_placeholder_pack;
