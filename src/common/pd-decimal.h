/* pd-decimal.h: exact conversion between decimal text and integer minor units */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  PD_DECIMAL_OK,
  PD_DECIMAL_EMPTY,        /* nothing to parse */
  PD_DECIMAL_SYNTAX,       /* not plain digits with one optional decimal mark */
  PD_DECIMAL_NEGATIVE,     /* a leading minus sign */
  PD_DECIMAL_TOO_PRECISE,  /* more significant decimals than the exponent allows */
  PD_DECIMAL_OVERFLOW,     /* does not fit a gint64 of minor units */
  PD_DECIMAL_NOT_FINITE,   /* NaN or infinity (doubles only) */
} PdDecimalStatus;

/* Longest text pd_decimal_format() writes, with its NUL. */
#define PD_DECIMAL_BUF_SIZE 32

PdDecimalStatus pd_decimal_parse        (const char *text,
                                         char        decimal_mark,
                                         guint       exponent,
                                         gint64     *minor_out);
PdDecimalStatus pd_decimal_from_double  (double      value,
                                         guint       exponent,
                                         gint64     *minor_out);
void            pd_decimal_shortest     (double      value,
                                         char        buf[G_ASCII_DTOSTR_BUF_SIZE]);
char           *pd_decimal_format       (gint64      minor,
                                         guint       exponent,
                                         char        buf[PD_DECIMAL_BUF_SIZE]);

G_END_DECLS
