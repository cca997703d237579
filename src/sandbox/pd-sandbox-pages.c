/* pd-sandbox-pages.c: replies, request bodies and HTML shared by both gateways */
#define G_LOG_DOMAIN "pd-sandbox"

#include "config.h"

#include <string.h>

#include "pd-decimal.h"
#include "pd-sandbox-private.h"

/* A version 4 UUID drawn from @rand, or a random one when @rand is NULL:
 * seeded demo data keeps the same ids at every start, so an app that
 * imports them does not collect a new copy each time. */
char *
pd_sandbox_new_id (GRand *rand)
{
  guint8 b[16];

  if (rand == NULL)
    return g_uuid_string_random ();

  for (guint i = 0; i < G_N_ELEMENTS (b); i++)
    b[i] = (guint8) g_rand_int_range (rand, 0, 256);
  b[6] = (guint8) ((b[6] & 0x0f) | 0x40);
  b[8] = (guint8) ((b[8] & 0x3f) | 0x80);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
pd_sandbox_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* Deepest nesting of arrays and objects in @data, outside strings; scanned
 * before parsing so that a hostile body cannot exhaust the parser's stack. */
static guint
json_depth (const char *data,
            gsize       len)
{
  guint depth = 0, max_depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        max_depth = MAX (max_depth, ++depth);
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return max_depth;
}

PdSandboxBodyStatus
pd_sandbox_parse_json_body (SoupServerMessage  *msg,
                            JsonObject        **object_out)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  const char *data;
  gsize len;
  JsonNode *root;

  *object_out = NULL;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);

  if (len > PD_SANDBOX_MAX_BODY)
    return PD_SANDBOX_BODY_TOO_LARGE;
  if (len == 0 || data == NULL)
    return PD_SANDBOX_BODY_EMPTY;
  if (json_depth (data, len) > PD_SANDBOX_MAX_DEPTH)
    return PD_SANDBOX_BODY_TOO_DEEP;
  if (!g_utf8_validate (data, (gssize) len, NULL))
    return PD_SANDBOX_BODY_MALFORMED;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return PD_SANDBOX_BODY_MALFORMED;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return PD_SANDBOX_BODY_NOT_OBJECT;

  *object_out = json_object_ref (json_node_get_object (root));
  return PD_SANDBOX_BODY_OK;
}

static void
write_json_string (GString    *out,
                   const char *s)
{
  g_string_append_c (out, '"');
  for (const char *p = s; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

/* json-glib writes doubles with 17 significant digits ("100.09999999999999");
 * a gateway writes the amount it means, so doubles go out as their shortest
 * exact decimal text. */
static void
write_json_node (GString  *out,
                 JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_json_string (out, name);
            g_string_append_c (out, ':');
            write_json_node (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_json_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buf[G_ASCII_DTOSTR_BUF_SIZE];
            double value = json_node_get_double (node);

            if (value < 0)
              g_string_append_c (out, '-');
            pd_decimal_shortest (value < 0 ? -value : value, buf);
            g_string_append (out, buf);
          }
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          write_json_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append (out, "null");
        }
      break;

    default:
      g_string_append (out, "null");
    }
}

char *
pd_sandbox_json_to_string (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  write_json_node (out, node);
  return g_string_free (out, FALSE);
}

void
pd_sandbox_reply_json (SoupServerMessage *msg,
                       guint              status,
                       JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *text = pd_sandbox_json_to_string (root);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

void
pd_sandbox_reply_html (SoupServerMessage *msg,
                       guint              status,
                       const char        *html)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, html, strlen (html));
}

void
pd_sandbox_reply_redirect (SoupServerMessage *msg,
                           const char        *location)
{
  soup_server_message_set_redirect (msg, SOUP_STATUS_SEE_OTHER, location);
}

void
pd_sandbox_reply_pesogate_error (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *message,
                                 JsonObject        *errors)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "success");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  if (errors != NULL)
    {
      JsonNode *node = json_node_init_object (json_node_alloc (), errors);

      json_builder_set_member_name (b, "errors");
      json_builder_add_value (b, node);
    }
  json_builder_end_object (b);

  pd_sandbox_reply_json (msg, status, b);
}

void
pd_sandbox_reply_paysgator_error (SoupServerMessage *msg,
                                  guint              status,
                                  const char        *code,
                                  const char        *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_end_object (b);
  json_builder_end_object (b);

  pd_sandbox_reply_json (msg, status, b);
}

char *
pd_sandbox_html_escape (const char *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

char *
pd_sandbox_html_page (const char *title,
                      const char *body_html)
{
  g_autofree char *escaped_title = pd_sandbox_html_escape (title);

  return g_strdup_printf (
    "<!DOCTYPE html>\n"
    "<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>%s</title>\n"
    "<style>\n"
    "body{font-family:system-ui,sans-serif;margin:0;padding:16px;background:#f6f5f4;color:#241f31}\n"
    ".card{max-width:420px;margin:0 auto;background:#fff;border-radius:12px;padding:20px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.15)}\n"
    "h1{font-size:1.2em;margin:0 0 12px}\n"
    "dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:0 0 16px}\n"
    "dt{color:#5e5c64}dd{margin:0;font-weight:600}\n"
    "label{display:block;margin:8px 0 4px}\n"
    "input,select{font-size:1.1em;padding:8px;width:100%%;box-sizing:border-box;"
    "border:1px solid #c0bfbc;border-radius:6px}\n"
    ".buttons{display:flex;gap:8px;margin-top:16px}\n"
    "button{font-size:1em;padding:8px 16px;border-radius:6px;border:0;cursor:pointer}\n"
    "button.primary{background:#3584e4;color:#fff}\n"
    "button.secondary{background:#deddda}\n"
    ".note{color:#5e5c64;font-size:.9em}\n"
    ".sandbox{background:#f5c211;color:#241f31;font-weight:700;text-align:center;"
    "padding:2px;border-radius:4px;margin-bottom:12px;font-size:.8em}\n"
    "</style></head>\n"
    "<body><div class=\"card\"><div class=\"sandbox\">SANDBOX — no real money</div>\n"
    "<h1>%s</h1>\n%s\n</div></body></html>\n",
    escaped_title, escaped_title, body_html);
}
