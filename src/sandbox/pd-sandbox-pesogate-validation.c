#define G_LOG_DOMAIN "pd-sandbox-pesogate"

#include "config.h"

#include <string.h>

#include "pd-sandbox-pesogate-private.h"

/* Validation */

void
pd_sandbox_pesogate_add_error (JsonObject *errors,
                               const char *field,
                               const char *message)
{
  if (!json_object_has_member (errors, field))
    json_object_set_array_member (errors, field, json_array_new ());
  json_array_add_string_element (json_object_get_array_member (errors, field), message);
}

/* Laravel names a field in its messages with spaces for underscores. */
static char *
field_label (const char *field)
{
  return g_strdelimit (g_strdup (field), "_", ' ');
}

static void
add_field_error (JsonObject *errors,
                 const char *field,
                 const char *what)
{
  g_autofree char *label = field_label (field);
  g_autofree char *message = g_strdup_printf ("The %s %s", label, what);

  pd_sandbox_pesogate_add_error (errors, field, message);
}

gboolean
pd_sandbox_pesogate_node_is_type (JsonNode *node,
                                  GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* A member that is absent or null is not there: Laravel's "nullable". */
JsonNode *
pd_sandbox_pesogate_member (JsonObject *body,
                            const char *name)
{
  JsonNode *node = json_object_get_member (body, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;
  return TRUE;
}

gboolean
pd_sandbox_pesogate_all_digits (const char *text)
{
  if (text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* A string member: NULL when absent (an error when @required) or invalid. */
const char *
pd_sandbox_pesogate_read_string (Validation *v,
                                 const char *field,
                                 gboolean    required,
                                 gsize       max_length)
{
  JsonNode *node = pd_sandbox_pesogate_member (v->body, field);
  const char *text;

  if (node == NULL || (pd_sandbox_pesogate_node_is_type (node, G_TYPE_STRING) && is_blank (json_node_get_string (node))))
    {
      if (required)
        add_field_error (v->errors, field, "field is required.");
      return NULL;
    }
  if (!pd_sandbox_pesogate_node_is_type (node, G_TYPE_STRING))
    {
      add_field_error (v->errors, field, "must be a string.");
      return NULL;
    }

  text = json_node_get_string (node);
  if (strlen (text) > max_length)
    {
      g_autofree char *what = g_strdup_printf ("must not be greater than %" G_GSIZE_FORMAT " characters.", max_length);

      add_field_error (v->errors, field, what);
      return NULL;
    }
  return text;
}

const PdIso4217 *
pd_sandbox_pesogate_lookup_currency (const char *code)
{
  if (strlen (code) != 3)
    return NULL;
  for (guint i = 0; i < 3; i++)
    if (!g_ascii_isupper (code[i]))
      return NULL;
  return pd_iso4217_lookup (code);
}

/* The smallest amount accepted: 0.01, or one minor unit when the currency
 * has fewer than two decimals. */
static gint64
minimum_amount (guint exponent)
{
  return exponent >= 2 ? pd_sandbox_pesogate_power_of_ten (exponent - 2) : 1;
}

/* Reads an amount exactly; on failure returns the Laravel-style message. */
char *
pd_sandbox_pesogate_read_amount (JsonNode        *node,
                                 const PdIso4217 *currency,
                                 gint64          *minor_out)
{
  guint exponent = currency != NULL ? currency->exponent : 2;
  gint64 scale = pd_sandbox_pesogate_power_of_ten (exponent);
  gint64 minimum = minimum_amount (exponent);
  gint64 maximum = MAX_MAJOR_UNITS * scale + (scale - 1);
  char buf[PD_DECIMAL_BUF_SIZE];
  gint64 minor = 0;
  gboolean too_large = FALSE;

  if (pd_sandbox_pesogate_node_is_type (node, G_TYPE_INT64))
    {
      gint64 units = json_node_get_int (node);

      if (units > MAX_MAJOR_UNITS)
        too_large = TRUE;
      else
        minor = MAX (units, -1) * scale;
    }
  else if (pd_sandbox_pesogate_node_is_type (node, G_TYPE_DOUBLE))
    {
      switch (pd_decimal_from_double (json_node_get_double (node), exponent, &minor))
        {
        case PD_DECIMAL_OK:
          break;
        case PD_DECIMAL_NEGATIVE:
          minor = -1;
          break;
        case PD_DECIMAL_TOO_PRECISE:
          if (currency == NULL)
            return g_strdup_printf ("The amount must not have more than %u decimal places.", exponent);
          if (exponent == 0)
            return g_strdup_printf ("The amount must be a whole number for %s.", currency->code);
          return g_strdup_printf ("The amount must not have more than %u decimal places for %s.",
                                  exponent, currency->code);
        case PD_DECIMAL_OVERFLOW:
        case PD_DECIMAL_NOT_FINITE:
        case PD_DECIMAL_EMPTY:
        case PD_DECIMAL_SYNTAX:
        default:
          too_large = TRUE;
        }
    }
  else
    return g_strdup ("The amount must be a number.");

  if (too_large || minor > maximum)
    return g_strdup_printf ("The amount must not be greater than %s.", pd_decimal_format (maximum, exponent, buf));
  if (minor < minimum)
    return g_strdup_printf ("The amount must be at least %s.",
                            exponent >= 2 ? "0.01" : pd_decimal_format (minimum, exponent, buf));

  *minor_out = minor;
  return NULL;
}

/* exp_month and exp_year may be strings or integers; returns 0 when invalid. */
guint
pd_sandbox_pesogate_read_expiry_part (Validation *v,
                                      const char *field,
                                      gboolean    is_month)
{
  JsonNode *node = pd_sandbox_pesogate_member (v->body, field);
  g_autofree char *digits = NULL;
  gsize len;
  guint value;

  if (node == NULL || (pd_sandbox_pesogate_node_is_type (node, G_TYPE_STRING) && is_blank (json_node_get_string (node))))
    {
      add_field_error (v->errors, field, "field is required.");
      return 0;
    }

  if (pd_sandbox_pesogate_node_is_type (node, G_TYPE_STRING))
    digits = g_strdup (json_node_get_string (node));
  else if (pd_sandbox_pesogate_node_is_type (node, G_TYPE_INT64)
           && json_node_get_int (node) >= 0 && json_node_get_int (node) <= 9999)
    digits = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  len = digits != NULL ? strlen (digits) : 0;
  if (is_month)
    {
      value = (len == 1 || len == 2) && pd_sandbox_pesogate_all_digits (digits)
              ? (guint) g_ascii_strtoull (digits, NULL, 10) : 0;
      if (value >= 1 && value <= 12)
        return value;
      add_field_error (v->errors, field, "must be a valid month from 01 to 12.");
      return 0;
    }

  if ((len == 2 || len == 4) && pd_sandbox_pesogate_all_digits (digits))
    {
      value = (guint) g_ascii_strtoull (digits, NULL, 10);
      return len == 2 ? 2000 + value : value;
    }
  add_field_error (v->errors, field, "must be 2 or 4 digits.");
  return 0;
}

gboolean
pd_sandbox_pesogate_valid_email (const char *text)
{
  const char *at = strchr (text, '@');
  const char *dot;

  if (at == NULL || at == text || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '<' || *p == '>' || *p == '"' || *p == ',' || *p == '\\')
      return FALSE;

  dot = strrchr (at + 1, '.');
  return dot != NULL && dot > at + 1 && dot[1] != '\0' && strstr (at + 1, "..") == NULL && at[1] != '.';
}

static gboolean
valid_web_url (const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL)
    return FALSE;
  host = g_uri_get_host (uri);
  return (g_str_equal (g_uri_get_scheme (uri), "http") || g_str_equal (g_uri_get_scheme (uri), "https")) &&
         host != NULL && host[0] != '\0';
}

const char *
pd_sandbox_pesogate_read_url (Validation *v,
                              const char *field)
{
  const char *url = pd_sandbox_pesogate_read_string (v, field, FALSE, MAX_URL_LENGTH);

  if (url != NULL && !valid_web_url (url))
    {
      add_field_error (v->errors, field, "must be a valid absolute http or https URL.");
      return NULL;
    }
  return url;
}
