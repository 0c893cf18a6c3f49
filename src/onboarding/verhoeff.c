/*
 * verhoeff.c: Verhoeff check digit over decimal digits, for the manual
 * pairing code (Matter Core Specification 5.1.4.1; shared/spec/
 * matter-commissioning.md section 1.8). Tables are the dihedral group D5.
 */
#include "onboarding/onboarding_internal.h"

/* d[c][x]: multiplication in D5 */
static const uint8_t d5_mul[10][10] = {
    { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 },
    { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 }, { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
    { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 },
    { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
    { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 }, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
};

/* p[i mod 8][digit]: position-dependent permutation */
static const uint8_t perm[8][10] = {
    { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 },
    { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 }, { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
    { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 },
    { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
};

static const uint8_t inverse[10] = { 0, 4, 3, 2, 1, 5, 6, 7, 8, 9 };

/* Fold the digits right to left, the rightmost at position first_pos. */
static unsigned
fold(const char *digits, size_t n, size_t first_pos)
{
    unsigned c = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        unsigned digit = (unsigned)(digits[n - 1 - i] - '0');

        c = d5_mul[c][perm[(i + first_pos) % 8][digit]];
    }
    return c;
}

/* see onboarding_internal.h */
char
mfab_onboarding__verhoeff_digit(const char *digits, size_t n)
{
    return (char)('0' + inverse[fold(digits, n, 1)]);
}

/* see onboarding_internal.h */
int
mfab_onboarding__verhoeff_valid(const char *digits, size_t n)
{
    return n > 0 && fold(digits, n, 0) == 0;
}
