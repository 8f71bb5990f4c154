/* Linked with -z nodelete: stays mapped after dlclose. */
int nodelete_answer(void) {
    return 42;
}
