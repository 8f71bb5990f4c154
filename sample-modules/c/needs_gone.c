/* Needs libgone.so, which the build removes: the before-load check must name it. */
int gone_value(void);

int needs_gone(void) {
    return gone_value() + 1;
}
