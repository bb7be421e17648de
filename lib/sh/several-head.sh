# shellcheck disable=SC2153 # WAIT_FOR comes from the environment, as in every waiter, and is no misspelling of WAIT_PORT, which a script of several checks sets
