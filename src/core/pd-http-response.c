#define G_LOG_DOMAIN "pd-http"

#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-http.h"
#include "pd-http-private.h"

/* libsoup 3.2 has no name for it. */
#define HTTP_TOO_MANY_REQUESTS 429
#define READ_CHUNK          (16 * 1024)
/* Deeper nesting than this is refused before json-glib's recursive parser. */
#define MAX_JSON_DEPTH      64
/* A wait longer than this is not worth retrying for: the caller hears of it. */
#define MAX_RETRY_WAIT_MS   60000

G_DEFINE_BOXED_TYPE (PdHttpResponse, pd_http_response, pd_http_response_copy, pd_http_response_free)

/* Retry-After as delay-seconds or an HTTP date; -1 when absent or unreadable. */
static gint64
parse_retry_after (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint64 seconds;
  GTimeSpan span;

  if (value == NULL)
    return -1;
  trimmed = g_strstrip (g_strdup (value));

  if (g_ascii_isdigit (*trimmed))
    {
      if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT32, &seconds, NULL))
        return -1;
      return (gint64) seconds * 1000;
    }

  when = soup_date_time_new_from_http_string (trimmed);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, now);
  return span > 0 ? span / 1000 : 0;
}

static gboolean
is_json_content_type (SoupMessageHeaders *headers)
{
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL &&
         (g_ascii_strcasecmp (type, "application/json") == 0 ||
          (g_str_has_prefix (type, "application/") && g_str_has_suffix (type, "+json")));
}

static gboolean
scan_string (const char *data,
             gsize       len,
             gsize      *pos)
{
  gsize i = *pos + 1;

  while (i < len)
    {
      guchar c = data[i];

      if (c == '"')
        {
          *pos = i + 1;
          return TRUE;
        }
      if (c < 0x20)
        return FALSE;
      if (c == '\\')
        {
          if (i + 1 >= len)
            return FALSE;
          if (data[i + 1] == 'u')
            {
              if (i + 5 >= len)
                return FALSE;
              for (guint k = 2; k < 6; k++)
                if (!g_ascii_isxdigit (data[i + k]))
                  return FALSE;
              i += 6;
              continue;
            }
          if (data[i + 1] == '\0' || strchr ("\"\\/bfnrt", data[i + 1]) == NULL)
            return FALSE;
          i += 2;
          continue;
        }
      i++;
    }
  return FALSE;
}

static gboolean
scan_digits (const char *data,
             gsize       len,
             gsize      *pos)
{
  gsize start = *pos;

  while (*pos < len && g_ascii_isdigit (data[*pos]))
    (*pos)++;
  return *pos > start;
}

static gboolean
scan_number (const char *data,
             gsize       len,
             gsize      *pos)
{
  if (data[*pos] == '-')
    (*pos)++;
  if (*pos < len && data[*pos] == '0')
    (*pos)++;
  else if (!scan_digits (data, len, pos))
    return FALSE;
  if (*pos < len && data[*pos] == '.')
    {
      (*pos)++;
      if (!scan_digits (data, len, pos))
        return FALSE;
    }
  if (*pos < len && (data[*pos] == 'e' || data[*pos] == 'E'))
    {
      (*pos)++;
      if (*pos < len && (data[*pos] == '+' || data[*pos] == '-'))
        (*pos)++;
      if (!scan_digits (data, len, pos))
        return FALSE;
    }
  return TRUE;
}

/* json-glib 1.6 accepts more than JSON (a second value after the first,
 * single quotes, comments, leading zeros) and recurses without limit: the
 * body must pass RFC 8259's grammar, nested at most MAX_JSON_DEPTH deep,
 * before it is parsed. */
static gboolean
json_is_strict (const char  *data,
                gsize        len,
                const char **why)
{
  enum { VALUE, VALUE_OR_END, KEY, KEY_OR_END, COLON, AFTER } state = VALUE;
  char stack[MAX_JSON_DEPTH];
  guint depth = 0;
  gsize pos = 0;

  for (;;)
    {
      char c;

      while (pos < len && (data[pos] == ' ' || data[pos] == '\t' || data[pos] == '\r' || data[pos] == '\n'))
        pos++;
      if (pos == len)
        break;
      c = data[pos];

      switch (state)
        {
        case VALUE_OR_END:
          if (c == ']')
            {
              depth--;
              pos++;
              state = AFTER;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case VALUE:
          if (c == '{' || c == '[')
            {
              if (depth == MAX_JSON_DEPTH)
                {
                  *why = "JSON nested too deep";
                  return FALSE;
                }
              stack[depth++] = c;
              pos++;
              state = c == '{' ? KEY_OR_END : VALUE_OR_END;
            }
          else if (c == '"')
            {
              if (!scan_string (data, len, &pos))
                goto malformed;
              state = AFTER;
            }
          else if (c == '-' || g_ascii_isdigit (c))
            {
              if (!scan_number (data, len, &pos))
                goto malformed;
              state = AFTER;
            }
          else
            {
              static const char * const literals[] = { "true", "false", "null" };
              gboolean found = FALSE;

              for (guint i = 0; i < G_N_ELEMENTS (literals) && !found; i++)
                {
                  gsize n = strlen (literals[i]);

                  if (len - pos >= n && memcmp (data + pos, literals[i], n) == 0)
                    {
                      pos += n;
                      found = TRUE;
                    }
                }
              if (!found)
                goto malformed;
              state = AFTER;
            }
          break;

        case KEY_OR_END:
          if (c == '}')
            {
              depth--;
              pos++;
              state = AFTER;
              break;
            }
          G_GNUC_FALLTHROUGH;
        case KEY:
          if (c != '"' || !scan_string (data, len, &pos))
            goto malformed;
          state = COLON;
          break;

        case COLON:
          if (c != ':')
            goto malformed;
          pos++;
          state = VALUE;
          break;

        case AFTER:
          if (depth == 0)
            goto malformed;
          if (c == ',')
            state = stack[depth - 1] == '{' ? KEY : VALUE;
          else if ((c == '}' && stack[depth - 1] == '{') || (c == ']' && stack[depth - 1] == '['))
            depth--;
          else
            goto malformed;
          pos++;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (state == AFTER && depth == 0)
    return TRUE;

malformed:
  *why = pos < len ? "malformed JSON" : "JSON cut short";
  return FALSE;
}

/* The body as JSON, or NULL with *why set to what was wrong with it. */
static JsonNode *
parse_body (GByteArray          *buffer,
            SoupMessageHeaders  *headers,
            char               **why)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  const char *not_strict = NULL;

  if (!is_json_content_type (headers))
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);
      *why = g_strdup_printf ("not JSON but %s", type ? type : "no content type");
      return NULL;
    }
  if (!g_utf8_validate_len ((const char *) buffer->data, buffer->len, NULL))
    {
      *why = g_strdup ("not UTF-8");
      return NULL;
    }
  if (!json_is_strict ((const char *) buffer->data, buffer->len, &not_strict))
    {
      *why = g_strdup (not_strict);
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, (const char *) buffer->data, (gssize) buffer->len, &error))
    {
      *why = g_strdup_printf ("malformed JSON: %s", error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      *why = g_strdup ("empty JSON");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static void
on_body_complete (GTask *task)
{
  PdHttp *self = g_task_get_source_object (task);
  Request *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (req->msg);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->msg);
  gint64 retry_after_ms = parse_retry_after (headers);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *why = NULL;
  GError *error;

  if (req->buffer->len > 0)
    node = parse_body (req->buffer, headers, &why);

  if (status == HTTP_TOO_MANY_REQUESTS)
    {
      gint64 wait_ms = pd_pacer_rate_limited (pd_http_get_pacer (self), retry_after_ms);

      /* The pacer holds every request of the account, this one's retry too. */
      if (pd_http_may_retry (self, req) && wait_ms <= MAX_RETRY_WAIT_MS)
        {
          pd_http_retry (task, 0);
          return;
        }
      error = pd_gateway_error_new_from_response (status, node, wait_ms);
      pd_http_fail (task, error);
      return;
    }
  pd_pacer_reset_backoff (pd_http_get_pacer (self));

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      PdHttpResponse *response;

      if (req->buffer->len > 0 && (node == NULL || !JSON_NODE_HOLDS_OBJECT (node)))
        {
          g_autofree char *detail = g_strdup_printf ("HTTP %u, %s", status,
                                                     why ? why : "JSON but not an object");

          /* The gateway did act on it; what it answered is lost. */
          error = pd_gateway_error_new (req->safe ? PD_GATEWAY_ERROR_BAD_RESPONSE : PD_GATEWAY_ERROR_OUTCOME_UNKNOWN,
                                        detail);
          pd_gateway_error_set_http_status (error, status);
          pd_http_fail (task, error);
          return;
        }

      response = g_new0 (PdHttpResponse, 1);
      response->status = status;
      response->body = g_steal_pointer (&node);
      response->headers = soup_message_headers_ref (headers);
      response->attempts = req->attempt;
      pd_http_end_attempt (self, req, g_task_get_cancellable (task));
      g_task_return_pointer (task, response, (GDestroyNotify) pd_http_response_free);
      return;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (status) && pd_http_may_retry (self, req))
    {
      gint64 wait_ms = MAX (pd_http_backoff_ms (req->attempt), retry_after_ms);

      if (wait_ms <= MAX_RETRY_WAIT_MS)
        {
          pd_http_retry (task, wait_ms);
          return;
        }
    }

  error = pd_gateway_error_new_from_response (status, node, retry_after_ms);
  {
    /* The detail of an error page is its status and type, never its text. */
    g_autofree char *detail = g_strdup_printf ("HTTP %u%s%s", status, why ? ", " : "", why ? why : "");
    pd_gateway_error_set_detail (error, detail);
  }
  pd_http_fail (task, error);
}

static void read_more (GTask *task);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(GTask) task = data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize read;
  gsize len;

  read = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (read < 0)
    {
      pd_http_on_transport_error (task, error, TRUE);
      return;
    }

  len = (gsize) read;
  if (len == 0)
    {
      req->at_eof = TRUE;
      on_body_complete (task);
      return;
    }

  if (req->buffer->len + len > PD_HTTP_MAX_BODY)
    {
      GError *too_large = pd_gateway_error_new (req->safe ? PD_GATEWAY_ERROR_BAD_RESPONSE : PD_GATEWAY_ERROR_OUTCOME_UNKNOWN,
                                                "answer too large");

      pd_gateway_error_set_http_status (too_large, soup_message_get_status (req->msg));
      pd_http_fail (task, too_large);
      return;
    }

  g_byte_array_append (req->buffer, req->chunk, len);
  read_more (task);
}

static void
read_more (GTask *task)
{
  Request *req = g_task_get_task_data (task);

  if (req->chunk == NULL)
    req->chunk = g_malloc (READ_CHUNK);
  g_input_stream_read_async (req->stream, req->chunk, READ_CHUNK, g_task_get_priority (task),
                             req->attempt_cancellable, on_read, g_object_ref (task));
}

void
pd_http_on_sent (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GTask) task = data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      pd_http_on_transport_error (task, error, FALSE);
      return;
    }

  headers = soup_message_get_response_headers (req->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > PD_HTTP_MAX_BODY)
    {
      GError *too_large = pd_gateway_error_new (req->safe ? PD_GATEWAY_ERROR_BAD_RESPONSE : PD_GATEWAY_ERROR_OUTCOME_UNKNOWN,
                                                "answer too large");

      pd_gateway_error_set_http_status (too_large, soup_message_get_status (req->msg));
      pd_http_fail (task, too_large);
      return;
    }

  req->buffer = g_byte_array_new ();
  read_more (task);
}

PdHttpResponse *
pd_http_response_copy (const PdHttpResponse *response)
{
  PdHttpResponse *copy = g_new0 (PdHttpResponse, 1);

  copy->status = response->status;
  copy->body = response->body ? json_node_ref (response->body) : NULL;
  copy->headers = soup_message_headers_ref (response->headers);
  copy->attempts = response->attempts;
  return copy;
}

void
pd_http_response_free (PdHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

JsonObject *
pd_http_response_get_object (const PdHttpResponse *response)
{
  g_return_val_if_fail (response != NULL, NULL);

  return response->body ? json_node_get_object (response->body) : NULL;
}
