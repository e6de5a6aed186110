/* unit.h — what every cmocka unit test includes. */
#ifndef XINQU_UNIT_H
#define XINQU_UNIT_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#endif
