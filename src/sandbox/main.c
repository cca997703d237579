/* paydesk-sandbox: both gateway APIs on loopback, for trying Paydesk and for scripts */
#define G_LOG_DOMAIN "paydesk-sandbox"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "pd-sandbox.h"

static gboolean
on_signal (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

int
main (int    argc,
      char **argv)
{
  gint port = 8750;
  gint rate_limit = PD_SANDBOX_DEFAULT_RATE_LIMIT;
  gboolean demo = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "TCP port on 127.0.0.1 (0 picks a free one; default 8750)", "N" },
    { "demo", 'd', 0, G_OPTION_ARG_NONE, &demo, "Seed demo data for every view", NULL },
    { "rate-limit", 'r', 0, G_OPTION_ARG_INT, &rate_limit, "Requests per minute per API key (0: no limit; default 100)", "N" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, "Print the URLs and keys as one JSON line", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PdSandbox) sandbox = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  setlocale (LC_ALL, "");

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context,
    "Serves the PesoGate and PaysGator APIs on loopback with test keys and test cards.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("paydesk-sandbox: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || rate_limit < 0)
    {
      g_printerr ("paydesk-sandbox: --port takes 0 to 65535 and --rate-limit a number from 0\n");
      return 2;
    }

  sandbox = pd_sandbox_new (demo);
  pd_sandbox_set_rate_limit (sandbox, (guint) rate_limit);
  if (!pd_sandbox_listen (sandbox, (guint) port, &error))
    {
      g_printerr ("paydesk-sandbox: cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  if (json)
    {
      g_autofree char *text = pd_sandbox_describe_json (sandbox);

      g_print ("%s\n", text);
    }
  else
    {
      g_autofree char *text = pd_sandbox_describe_text (sandbox);

      g_print ("%s%s\nPress Ctrl+C to stop.\n", text, demo ? "Demo data: seeded.\n" : "");
    }
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);

  pd_sandbox_disconnect (sandbox);
  return 0;
}
