/* The hot-reload sample, built three times: VERSION 1 and 2 differ in what version() returns and
 * in one export added; VERSION 3 lacks feature(), which a reload must refuse when the user gave
 * feature() a signature. */
int version(void) {
    return VERSION;
}

#if VERSION < 3
int feature(void) {
    return 10 * VERSION;
}
#endif

#if VERSION == 2
int extra(void) {
    return 42;
}
#endif
