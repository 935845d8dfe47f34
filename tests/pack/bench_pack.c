/* bench_pack: placeholder. */
int main(void)
{
    return 0;
}
