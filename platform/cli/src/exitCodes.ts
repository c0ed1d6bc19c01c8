export const EXIT_OK = 0;
/** Something went wrong that is not the user's input. */
export const EXIT_FAILURE = 1;
/** The input is invalid; every problem was listed with its field and fix. */
export const EXIT_INVALID_INPUT = 2;
/** `idp upgrade` merged, and conflicts remain for a person to resolve (files listed, markers written). */
export const EXIT_CONFLICTS = 3;
