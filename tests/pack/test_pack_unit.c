/* test_pack_unit: placeholder, filled below. */
int main(void)
{
    return 0;
}
