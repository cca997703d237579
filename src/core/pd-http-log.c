#define G_LOG_DOMAIN "pd-http"

#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-http.h"
#include "pd-http-private.h"

/* What PAYDESK_DEBUG=http prints of a body. */
#define LOG_MAX_BODY        (64 * 1024)

static GRegex *
field_regex (void)
{
  static GRegex *regex;

  if (g_once_init_enter (&regex))
    {
      /* A JSON member named like card data, with its string (possibly cut
       * short by the log's size limit) or number value. */
      GRegex *r = g_regex_new ("(\"(?:card_number|cvv|cvc|api_secret|api_key)\"\\s*:\\s*)"
                               "(?:\"(?:[^\"\\\\]|\\\\.)*(?:\"|$)|-?[0-9]+)",
                               G_REGEX_OPTIMIZE | G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&regex, r);
    }
  return regex;
}

char *
pd_http_redact_for_log (SoupLoggerLogLevel  level,
                        const char         *text)
{
  static const char * const secret_headers[] = { "X-Api-Key:", "X-Api-Secret:", "Authorization:" };
  g_autofree char *fields = NULL;
  gsize len;
  gsize tail;
  guint tail_digits = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (level != SOUP_LOGGER_LOG_BODY)
    {
      for (guint i = 0; i < G_N_ELEMENTS (secret_headers); i++)
        {
          gsize name_len = strlen (secret_headers[i]);

          if (g_ascii_strncasecmp (text, secret_headers[i], name_len) == 0)
            return g_strdup_printf ("%.*s [redacted]", (int) name_len, text);
        }
      return pd_redact_card_numbers (text);
    }

  fields = g_regex_replace (field_regex (), text, -1, 0, "\\1\"[redacted]\"", 0, NULL);
  if (fields == NULL)
    return g_strdup ("[redacted: not loggable]");

  /* A body cut at the log's size limit may end inside a card number, too
   * short to be recognised: more digits than the six a mask may show go. */
  len = strlen (fields);
  for (tail = len; tail > 0; tail--)
    {
      char c = fields[tail - 1];

      if (g_ascii_isdigit (c))
        tail_digits++;
      else if (c != ' ' && c != '-')
        break;
    }
  if (tail_digits > 6 && (tail == 0 || !g_ascii_isalnum (fields[tail - 1])))
    {
      g_autofree char *head = NULL;

      fields[tail] = '\0';
      head = pd_redact_card_numbers (fields);
      return g_strconcat (head, "[redacted]", NULL);
    }

  return pd_redact_card_numbers (fields);
}

static void
log_printer (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  g_autofree char *redacted = pd_http_redact_for_log (level, data);

  g_message ("%c %s", direction, redacted);
}

static gboolean
debug_http_enabled (void)
{
  static const GDebugKey keys[] = { { "http", 1 } };

  return g_parse_debug_string (g_getenv ("PAYDESK_DEBUG"), keys, G_N_ELEMENTS (keys)) != 0;
}

void
pd_http_add_debug_logger (SoupSession *session)
{
  if (debug_http_enabled ())
    {
      g_autoptr(SoupLogger) logger = soup_logger_new (SOUP_LOGGER_LOG_BODY);

      soup_logger_set_max_body_size (logger, LOG_MAX_BODY);
      soup_logger_set_printer (logger, log_printer, NULL, NULL);
      soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
    }
}
