/* Linked into libneedsgone.so at build time, then deleted, so that DT_NEEDED cannot be resolved. */
int gone_value(void) {
    return 7;
}
