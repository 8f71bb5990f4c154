/* Links against libdepended.so; see depended.c. */
int depended_value(void);

int dependent_value(void) {
    return depended_value() + 1;
}
