/* Needed by libdependent.so (DT_NEEDED, matched by this SONAME): a module that another loaded object
 * depends on stays mapped after dlclose, and the unload check must name that object. */
int depended_value(void) {
    return 41;
}
