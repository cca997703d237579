/* pd-json-read.c: reading gateway answers strictly, for both clients */
#define G_LOG_DOMAIN "pd-json-read"

#include "config.h"

#include "pd-error.h"
#include "pd-json-read.h"

GError *
pd_json_bad_response (const char *format,
              ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  return pd_gateway_error_new (PD_GATEWAY_ERROR_BAD_RESPONSE, detail);
}

JsonNode *
pd_json_get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) ? node : NULL;
}

gboolean
pd_json_node_is (JsonNode *node,
         GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
pd_json_read_string (JsonObject   *object,
             const char   *name,
             gboolean      required,
             const char  **out,
             GError      **error)
{
  JsonNode *node = pd_json_get_member (object, name);

  *out = NULL;
  if (node != NULL && !pd_json_node_is (node, G_TYPE_STRING))
    {
      g_propagate_error (error, pd_json_bad_response ("%s is not a string", name));
      return FALSE;
    }
  if (node != NULL && json_node_get_string (node)[0] != '\0')
    *out = json_node_get_string (node);
  if (required && *out == NULL)
    {
      g_propagate_error (error, pd_json_bad_response ("%s is missing", name));
      return FALSE;
    }
  return TRUE;
}

gboolean
pd_json_read_time (JsonObject  *object,
           const char  *name,
           gint64      *out,
           GError     **error)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) time = NULL;
  const char *text;

  *out = 0;
  if (!pd_json_read_string (object, name, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  time = g_date_time_new_from_iso8601 (text, utc);
  if (time == NULL || g_date_time_to_unix (time) < 0)
    {
      g_propagate_error (error, pd_json_bad_response ("%s is not an ISO 8601 time", name));
      return FALSE;
    }
  *out = g_date_time_to_unix (time);
  return TRUE;
}
