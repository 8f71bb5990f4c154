/* An executable, not a shared object: the loader must refuse it. */
int main(void) {
    return 0;
}
