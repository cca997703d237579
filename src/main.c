/* main.c: starts Paydesk */
#define G_LOG_DOMAIN "paydesk"

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "pd-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PdApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = pd_application_new (NULL, NULL);
  return g_application_run (G_APPLICATION (application), argc, argv);
}
