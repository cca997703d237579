#define G_LOG_DOMAIN "pd-ledger"

#include "config.h"

#include <string.h>

#include "pd-ledger-private.h"

/*
 * How a page is found among a million rows, newest first:
 *
 * - Without search words, one index drives the walk: the status index (one
 *   ordered walk per status in the set, merged), the currency, the provider
 *   or the created-at index, which also serves the date range. Each ends
 *   with created_at, so the walk stops after the page. With several
 *   conditions, the one whose index holds the fewest rows drives (counted up
 *   to FEW_ROWS in each); the others are checked on the way. The amount
 *   index is only used when its range holds few rows, which are sorted;
 *   otherwise the amount, stored in the created-at index, is checked there.
 *
 * - Search words of three characters or more go through the trigram index.
 *   Each distinct trigram's frequency is sampled from its posting list; the
 *   rarest of each word, then the rarest others, form the MATCH, and every
 *   candidate is checked against the real columns (the index has no
 *   positions, and not every trigram is asked). Candidates come newest row
 *   id first; the page is complete once no older row id can hold a newer
 *   created_at than the page's last row (search_watermarks).
 *
 * - Shorter words alone cannot use the index: they are checked while walking
 *   as without search words.
 */

#define FEW_ROWS              2000
#define MAX_TRIGRAMS          4
#define MAX_USEFUL_FREQUENCY  0.5
#define MAX_PROBED_GRAMS      32
#define SAMPLE_DEPTH          64
/* Beyond this many rows before the page's end, sorting all candidates is cheaper than keeping the top. */
#define MAX_STREAM_ROWS       10000
#define MAX_SEARCH_WORDS      8

#define ALL_STATUSES ((1u << (PD_STATUS_CANCELLED + 1)) - 1)

#define TEXT_MATCH_CALL \
  "pd_ledger_text_match (%s, %sorder_id, %sreference, %scustomer_name, %scustomer_email, %scard_last_four)"

/* SQL with its parameters, numbered in the order they were added. */
typedef struct
{
  GString   *sql;
  GPtrArray *texts;         /* NULL in the slot of a number */
  GArray    *numbers;
  GPtrArray *placeholders;  /* "?1", "?2", ... as handed out */
} Query;

static Query *
query_new (void)
{
  Query *query = g_new0 (Query, 1);

  query->sql = g_string_new (NULL);
  query->texts = g_ptr_array_new_with_free_func (g_free);
  query->numbers = g_array_new (FALSE, TRUE, sizeof (gint64));
  query->placeholders = g_ptr_array_new_with_free_func (g_free);

  return query;
}

static void
query_free (Query *query)
{
  g_string_free (query->sql, TRUE);
  g_ptr_array_unref (query->texts);
  g_array_unref (query->numbers);
  g_ptr_array_unref (query->placeholders);
  g_free (query);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

/* Adds a parameter and returns its placeholder, valid as long as @query. */
static const char *
query_param (Query      *query,
             const char *text,
             gint64      number)
{
  char *placeholder;

  g_ptr_array_add (query->texts, g_strdup (text));
  g_array_append_val (query->numbers, number);
  placeholder = g_strdup_printf ("?%u", query->texts->len);
  g_ptr_array_add (query->placeholders, placeholder);

  return placeholder;
}

static const char *
query_param_text (Query      *query,
                  const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return query_param (query, text, 0);
}

static const char *
query_param_number (Query  *query,
                    gint64  number)
{
  return query_param (query, NULL, number);
}

static void
query_bind (Query        *query,
            sqlite3_stmt *stmt)
{
  for (guint i = 0; i < query->texts->len; i++)
    {
      const char *text = g_ptr_array_index (query->texts, i);

      if (text != NULL)
        sqlite3_bind_text (stmt, i + 1, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, i + 1, g_array_index (query->numbers, gint64, i));
    }
}

static PdLedgerStmt *
query_prepare (PdLedgerDb  *db,
               Query       *query,
               GError     **error)
{
  sqlite3_stmt *stmt = pd_ledger_db_prepare_query (db, query->sql->str, error);

  if (stmt != NULL)
    query_bind (query, stmt);

  return stmt;
}

/* The words of a search, as typed and folded for pd_ledger_text_match(). */
typedef struct
{
  GPtrArray *words;
  char      *needles;    /* folded words, one a line; NULL without words */
  gboolean   indexable;  /* a word is long enough for the trigram index */
} Search;

static void
search_free (Search *search)
{
  g_ptr_array_unref (search->words);
  g_free (search->needles);
  g_free (search);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Search, search_free)

static Search *
search_new (const char *text)
{
  Search *search = g_new0 (Search, 1);
  g_autoptr(GString) needles = g_string_new (NULL);
  g_autoptr(GString) word = g_string_new (NULL);

  search->words = g_ptr_array_new_with_free_func (g_free);
  for (const char *p = text; p != NULL && search->words->len < MAX_SEARCH_WORDS; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && !g_unichar_isspace (c))
        {
          /* Control characters cannot be in the indexed fields (and the line breaks separate them). */
          if (!g_unichar_iscntrl (c))
            g_string_append_unichar (word, c);
          continue;
        }
      if (word->len > 0)
        {
          g_autofree char *folded = g_utf8_casefold (word->str, -1);

          if (needles->len > 0)
            g_string_append_c (needles, '\n');
          g_string_append (needles, folded);
          if (g_utf8_strlen (word->str, -1) >= 3)
            search->indexable = TRUE;
          g_ptr_array_add (search->words, g_strdup (word->str));
          g_string_truncate (word, 0);
        }
      if (c == 0)
        break;
    }
  if (needles->len > 0)
    search->needles = g_string_free (g_steal_pointer (&needles), FALSE);

  return search;
}

/* Every search word must occur in one of the columns, ignoring case. */
static gboolean
contains_folded (const char *haystack,
                 const char *needle)
{
  gsize needle_len = strlen (needle);

  if (haystack == NULL)
    return FALSE;

  for (const char *p = haystack; *p != '\0'; p++)
    {
      gsize i;

      if ((guchar) *p >= 0x80)
        {
          g_autofree char *folded = g_utf8_casefold (haystack, -1);

          return strstr (folded, needle) != NULL;
        }
      for (i = 0; i < needle_len && p[i] != '\0' && g_ascii_tolower (p[i]) == needle[i]; i++)
        ;
      if (i == needle_len)
        {
          /* The rest may hold non-ASCII text, but the match is already found. */
          return TRUE;
        }
    }

  return needle_len == 0;
}

static void
text_match_func (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  g_auto(GStrv) parsed = NULL;
  char **needles = sqlite3_get_auxdata (context, 0);

  /* The needles are the same for every row: split them once per statement. */
  if (needles == NULL)
    {
      const char *text = (const char *) sqlite3_value_text (argv[0]);

      parsed = g_strsplit (text != NULL ? text : "", "\n", -1);
      needles = parsed;
      sqlite3_set_auxdata (context, 0, g_strdupv (parsed), (void (*) (void *)) g_strfreev);
    }

  for (guint i = 0; needles[i] != NULL; i++)
    {
      gboolean found = FALSE;

      for (int column = 1; column < argc && !found; column++)
        found = contains_folded ((const char *) sqlite3_value_text (argv[column]), needles[i]);
      if (!found)
        {
          sqlite3_result_int (context, 0);
          return;
        }
    }
  sqlite3_result_int (context, 1);
}

gboolean
pd_ledger_register_functions (PdLedgerDb  *db,
                              GError     **error)
{
  int rc = sqlite3_create_function_v2 (db->handle, "pd_ledger_text_match", 6,
                                       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                       NULL, text_match_func, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return pd_ledger_db_fail (db, rc, error);

  return TRUE;
}

static const struct
{
  const char *column;
  gboolean    text;
} sort_columns[] = {
  [PD_LEDGER_SORT_CREATED_AT] = { "created_at", FALSE },
  [PD_LEDGER_SORT_UPDATED_AT] = { "updated_at", FALSE },
  [PD_LEDGER_SORT_COMPLETED_AT] = { "completed_at", FALSE },
  [PD_LEDGER_SORT_AMOUNT] = { "amount", FALSE },
  [PD_LEDGER_SORT_REFUNDED_AMOUNT] = { "refunded_amount", FALSE },
  [PD_LEDGER_SORT_CURRENCY] = { "currency", FALSE },
  [PD_LEDGER_SORT_STATUS] = { "status", FALSE },
  [PD_LEDGER_SORT_GATEWAY] = { "gateway", FALSE },
  [PD_LEDGER_SORT_PROVIDER] = { "provider", FALSE },
  [PD_LEDGER_SORT_PAYMENT_METHOD] = { "payment_method", TRUE },
  [PD_LEDGER_SORT_CARD_BRAND] = { "card_brand", TRUE },
  [PD_LEDGER_SORT_CARD_LAST_FOUR] = { "card_last_four", FALSE },
  [PD_LEDGER_SORT_ORDER_ID] = { "order_id", TRUE },
  [PD_LEDGER_SORT_REFERENCE] = { "reference", TRUE },
  [PD_LEDGER_SORT_CUSTOMER_NAME] = { "customer_name", TRUE },
  [PD_LEDGER_SORT_CUSTOMER_EMAIL] = { "customer_email", TRUE },
  [PD_LEDGER_SORT_CUSTOMER_PHONE] = { "customer_phone", FALSE },
  [PD_LEDGER_SORT_MODE] = { "mode", FALSE },
};

static void
append_order_by (Query          *query,
                 PdLedgerFilter *filter)
{
  PdLedgerSort sort = pd_ledger_filter_get_sort (filter);
  const char *direction = pd_ledger_filter_get_descending (filter) ? "DESC" : "ASC";

  g_string_append_printf (query->sql, " ORDER BY %s%s %s, id %s",
                          sort_columns[sort].column,
                          sort_columns[sort].text ? " COLLATE NOCASE" : "",
                          direction, direction);
}

static guint
status_mask (PdLedgerFilter *filter)
{
  guint mask = pd_ledger_filter_get_status_mask (filter);

  return mask == ALL_STATUSES ? 0 : mask;
}

/* " AND ..." for every condition of @filter but the account; @prefix qualifies the columns. */
static void
append_conditions (Query          *query,
                   PdLedgerFilter *filter,
                   const char     *prefix,
                   gboolean        with_statuses,
                   const char     *needles)
{
  guint mask = status_mask (filter);
  gint64 since = pd_ledger_filter_get_created_since (filter);
  gint64 until = pd_ledger_filter_get_created_until (filter);
  gint64 amount_min = pd_ledger_filter_get_amount_min (filter);
  gint64 amount_max = pd_ledger_filter_get_amount_max (filter);
  const char *currency = pd_ledger_filter_get_currency (filter);
  const char *provider = pd_ledger_filter_get_provider (filter);

  if (with_statuses && mask != 0)
    {
      const char *separator = "";

      g_string_append_printf (query->sql, " AND %sstatus IN (", prefix);
      for (PdStatus status = PD_STATUS_UNKNOWN; status <= PD_STATUS_CANCELLED; status++)
        if (mask & (1u << status))
          {
            g_string_append (query->sql, separator);
            g_string_append (query->sql, query_param_text (query, pd_status_to_key (status)));
            separator = ", ";
          }
      g_string_append_c (query->sql, ')');
    }
  if (since > 0)
    g_string_append_printf (query->sql, " AND %screated_at >= %s", prefix, query_param_number (query, since));
  if (until > 0)
    g_string_append_printf (query->sql, " AND %screated_at < %s", prefix, query_param_number (query, until));
  if (amount_min >= 0)
    g_string_append_printf (query->sql, " AND %samount >= %s", prefix, query_param_number (query, amount_min));
  if (amount_max >= 0)
    g_string_append_printf (query->sql, " AND %samount <= %s", prefix, query_param_number (query, amount_max));
  if (currency != NULL)
    g_string_append_printf (query->sql, " AND %scurrency = %s", prefix, query_param_text (query, currency));
  if (provider != NULL)
    g_string_append_printf (query->sql, " AND %sprovider = %s", prefix, query_param_text (query, provider));
  if (needles != NULL)
    {
      g_string_append (query->sql, " AND ");
      g_string_append_printf (query->sql, TEXT_MATCH_CALL,
                              query_param_text (query, needles), prefix, prefix, prefix, prefix, prefix);
    }
}

static gboolean
count_rows (PdLedgerDb  *db,
            Query       *query,
            gint64      *count,
            GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt = query_prepare (db, query, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  *count = sqlite3_column_int64 (stmt, 0);

  return TRUE;
}

static gboolean
has_amount_range (PdLedgerFilter *filter)
{
  return pd_ledger_filter_get_amount_min (filter) >= 0 || pd_ledger_filter_get_amount_max (filter) >= 0;
}

static gboolean
has_created_range (PdLedgerFilter *filter)
{
  return pd_ledger_filter_get_created_since (filter) > 0 || pd_ledger_filter_get_created_until (filter) > 0;
}

/* The indexes a walk can start from, in order of preference when they are alike. */
typedef enum
{
  BY_STATUS,
  BY_CURRENCY,
  BY_PROVIDER,
  BY_CREATED,
  BY_AMOUNT,
  N_INDEXES
} IndexKind;

static const char * const index_names[N_INDEXES] = {
  [BY_STATUS] = "transactions_by_status",
  [BY_CURRENCY] = "transactions_by_currency",
  [BY_PROVIDER] = "transactions_by_provider",
  [BY_CREATED] = "transactions_by_created",
  [BY_AMOUNT] = "transactions_by_amount",
};

static gboolean
index_applies (PdLedgerFilter *filter,
               IndexKind       kind)
{
  switch (kind)
    {
    case BY_STATUS:
      return status_mask (filter) != 0;
    case BY_CURRENCY:
      return pd_ledger_filter_get_currency (filter) != NULL;
    case BY_PROVIDER:
      return pd_ledger_filter_get_provider (filter) != NULL;
    case BY_CREATED:
      return has_created_range (filter);
    case BY_AMOUNT:
      return has_amount_range (filter);
    case N_INDEXES:
    default:
      g_assert_not_reached ();
    }
}

/* How many of the account's rows @kind's index holds for @filter, counting no further than FEW_ROWS + 1. */
static gboolean
probe_index (PdLedgerDb      *db,
             PdLedgerFilter  *filter,
             IndexKind        kind,
             gint64          *count,
             GError         **error)
{
  g_autoptr(Query) query = query_new ();
  g_autoptr(PdLedgerFilter) condition = pd_ledger_filter_new (pd_ledger_filter_get_account_id (filter));

  /* Only what the index itself holds: checking more would read rows. */
  switch (kind)
    {
    case BY_STATUS:
      for (PdStatus status = PD_STATUS_UNKNOWN; status <= PD_STATUS_CANCELLED; status++)
        if (pd_ledger_filter_has_status (filter, status))
          pd_ledger_filter_add_status (condition, status);
      break;
    case BY_CURRENCY:
      pd_ledger_filter_set_currency (condition, pd_ledger_filter_get_currency (filter));
      break;
    case BY_PROVIDER:
      pd_ledger_filter_set_provider (condition, pd_ledger_filter_get_provider (filter));
      break;
    case BY_AMOUNT:
      pd_ledger_filter_set_amount_range (condition, pd_ledger_filter_get_amount_min (filter),
                                         pd_ledger_filter_get_amount_max (filter));
      break;
    case BY_CREATED:
    case N_INDEXES:
    default:
      break;
    }
  if (kind != BY_AMOUNT)
    pd_ledger_filter_set_created_range (condition, pd_ledger_filter_get_created_since (filter),
                                        pd_ledger_filter_get_created_until (filter));

  g_string_append_printf (query->sql, "SELECT count(*) FROM (SELECT 1 FROM transactions INDEXED BY %s"
                                      " WHERE account_id = %s",
                          index_names[kind], query_param_text (query, pd_ledger_filter_get_account_id (filter)));
  append_conditions (query, condition, "", TRUE, NULL);
  g_string_append_printf (query->sql, " LIMIT %d)", FEW_ROWS + 1);

  return count_rows (db, query, count, error);
}

/*
 * The index to walk (see the top of this file). With one condition, its own
 * index; with several, the one holding the fewest rows for its part of the
 * filter, as counted by probe_index(). The amount index is not in created-at
 * order, so for an @ordered walk it is only taken for few rows, which are
 * then sorted.
 */
static gboolean
choose_index (PdLedgerDb      *db,
              PdLedgerFilter  *filter,
              gboolean         ordered,
              IndexKind       *chosen,
              GError         **error)
{
  gint64 fewest = G_MAXINT64;
  guint n_applying = 0;

  *chosen = BY_CREATED;
  for (IndexKind kind = 0; kind < N_INDEXES; kind++)
    if (index_applies (filter, kind))
      {
        n_applying++;
        if (n_applying == 1)
          *chosen = kind;
      }
  if (n_applying <= 1 && (*chosen != BY_AMOUNT || !ordered))
    return TRUE;

  for (IndexKind kind = 0; kind < N_INDEXES; kind++)
    {
      gint64 count;

      if (!index_applies (filter, kind))
        continue;
      if (!probe_index (db, filter, kind, &count, error))
        return FALSE;
      if (count < fewest && (kind != BY_AMOUNT || !ordered || count <= FEW_ROWS))
        {
          fewest = count;
          *chosen = kind;
        }
    }
  if (fewest == G_MAXINT64)
    *chosen = BY_CREATED;

  return TRUE;
}

/* A page without the trigram index. */
static gboolean
list_filtered (PdLedgerDb      *db,
               PdLedgerFilter  *filter,
               const char      *needles,
               guint            offset,
               guint            limit,
               gpointer        *result,
               GError         **error)
{
  g_autoptr(Query) query = query_new ();
  g_autoptr(PdLedgerStmt) stmt = NULL;
  const char *account_id = pd_ledger_filter_get_account_id (filter);
  PdLedgerSort sort = pd_ledger_filter_get_sort (filter);
  guint mask = status_mask (filter);
  /* Other orders are left to SQLite, which sorts. */
  IndexKind kind = N_INDEXES;

  if (sort == PD_LEDGER_SORT_CREATED_AT && !choose_index (db, filter, TRUE, &kind, error))
    return FALSE;
  if (sort == PD_LEDGER_SORT_AMOUNT)
    kind = BY_AMOUNT;

  if (kind == BY_STATUS && (mask & (mask - 1)) != 0)
    {
      /* One ordered walk per status, each cut at the page's end, then merged. */
      const char *separator = "";
      const char *page_end = query_param_number (query, (gint64) offset + limit);

      for (PdStatus status = PD_STATUS_UNKNOWN; status <= PD_STATUS_CANCELLED; status++)
        {
          if (!(mask & (1u << status)))
            continue;
          g_string_append_printf (query->sql,
                                  "%sSELECT * FROM (SELECT " PD_LEDGER_TRANSACTION_COLUMNS
                                  " FROM transactions INDEXED BY transactions_by_status WHERE account_id = %s",
                                  separator, query_param_text (query, account_id));
          g_string_append_printf (query->sql, " AND status = %s",
                                  query_param_text (query, pd_status_to_key (status)));
          append_conditions (query, filter, "", FALSE, needles);
          append_order_by (query, filter);
          g_string_append_printf (query->sql, " LIMIT %s)", page_end);
          separator = " UNION ALL ";
        }
    }
  else
    {
      g_string_append (query->sql, "SELECT " PD_LEDGER_TRANSACTION_COLUMNS " FROM transactions");
      if (kind != N_INDEXES)
        g_string_append_printf (query->sql, " INDEXED BY %s", index_names[kind]);
      g_string_append_printf (query->sql, " WHERE account_id = %s", query_param_text (query, account_id));
      append_conditions (query, filter, "", TRUE, needles);
    }
  append_order_by (query, filter);
  g_string_append_printf (query->sql, " LIMIT %s", query_param_number (query, limit));
  g_string_append_printf (query->sql, " OFFSET %s", query_param_number (query, offset));

  stmt = query_prepare (db, query, error);
  if (stmt == NULL)
    return FALSE;
  *result = pd_ledger_db_collect_transactions (db, stmt, error);

  return *result != NULL;
}

typedef struct
{
  char     *gram;        /* as typed: the index folds case itself */
  guint     word;
  double    frequency;   /* share of rows holding it, sampled */
} Trigram;

static void
trigram_clear (Trigram *trigram)
{
  g_free (trigram->gram);
}

static int
compare_by_frequency (gconstpointer a,
                      gconstpointer b)
{
  const Trigram *ta = a;
  const Trigram *tb = b;

  return (ta->frequency > tb->frequency) - (ta->frequency < tb->frequency);
}

/* An FTS5 string: double quotes, with any inside doubled. */
static void
append_fts_string (GString    *match,
                   const char *gram)
{
  g_string_append_c (match, '"');
  for (const char *p = gram; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

/* The share of rows holding @gram, judged from its oldest SAMPLE_DEPTH rows:
 * FTS5 reads a posting list forwards several times faster than backwards. */
static gboolean
sample_frequency (PdLedgerDb  *db,
                  const char  *gram,
                  gint64       min_id,
                  gint64       max_id,
                  double      *frequency,
                  GError     **error)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_autoptr(PdLedgerStmt) deep = NULL;
  g_autoptr(PdLedgerStmt) count = NULL;
  int rc;

  append_fts_string (match, gram);
  deep = pd_ledger_db_prepare (db,
                               "SELECT rowid FROM transactions_search (?1)"
                               " LIMIT 1 OFFSET " G_STRINGIFY (SAMPLE_DEPTH) " - 1",
                               error);
  if (deep == NULL)
    return FALSE;
  sqlite3_bind_text (deep, 1, match->str, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (deep);
  if (rc == SQLITE_ROW)
    {
      *frequency = (double) SAMPLE_DEPTH / (double) (sqlite3_column_int64 (deep, 0) - min_id + 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return pd_ledger_db_fail (db, rc, error);

  /* Fewer than SAMPLE_DEPTH rows: count them exactly. */
  count = pd_ledger_db_prepare (db, "SELECT count(*) FROM transactions_search (?1)", error);
  if (count == NULL)
    return FALSE;
  sqlite3_bind_text (count, 1, match->str, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (count);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  *frequency = (double) sqlite3_column_int64 (count, 0) / (double) MAX (max_id - min_id + 1, 1);

  return TRUE;
}

static gboolean
id_range (PdLedgerDb  *db,
          gint64      *min_id,
          gint64      *max_id,
          GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db,
                          "SELECT ifnull ((SELECT min (id) FROM transactions), 0),"
                          " ifnull ((SELECT max (id) FROM transactions), 0)",
                          error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return pd_ledger_db_fail (db, rc, error);
  *min_id = sqlite3_column_int64 (stmt, 0);
  *max_id = sqlite3_column_int64 (stmt, 1);

  return TRUE;
}

/*
 * The MATCH expression for @search: each word's rarest trigram, then the
 * rarest others, MAX_TRIGRAMS in all. Every candidate costs a row read, so
 * the narrower the better; a trigram in half the rows narrows too little
 * to be worth its posting list. NULL (and no error) when a trigram is in no
 * row at all.
 */
static gboolean
choose_trigrams (PdLedgerDb  *db,
                 Search      *search,
                 char       **match,
                 GError     **error)
{
  g_autoptr(GArray) trigrams = g_array_new (FALSE, TRUE, sizeof (Trigram));
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) expression = g_string_new (NULL);
  g_autofree gboolean *chosen = NULL;
  g_autofree gboolean *word_done = g_new0 (gboolean, search->words->len);
  guint n_chosen = 0;
  gint64 min_id = 0;
  gint64 max_id = 0;

  g_array_set_clear_func (trigrams, (GDestroyNotify) trigram_clear);
  *match = NULL;
  if (!id_range (db, &min_id, &max_id, error))
    return FALSE;

  for (guint w = 0; w < search->words->len; w++)
    {
      const char *word = g_ptr_array_index (search->words, w);
      glong length = g_utf8_strlen (word, -1);

      for (glong position = 0; position + 3 <= length && trigrams->len < MAX_PROBED_GRAMS; position++)
        {
          const char *start = g_utf8_offset_to_pointer (word, position);
          const char *end = g_utf8_offset_to_pointer (start, 3);
          Trigram trigram = { g_strndup (start, end - start), w, 0 };
          char *key = g_utf8_casefold (trigram.gram, -1);

          if (!g_hash_table_add (seen, key))
            {
              trigram_clear (&trigram);
              continue;
            }
          if (!sample_frequency (db, trigram.gram, min_id, max_id, &trigram.frequency, error))
            {
              trigram_clear (&trigram);
              return FALSE;
            }
          g_array_append_val (trigrams, trigram);
          if (trigram.frequency == 0)
            return TRUE;
        }
    }

  g_array_sort (trigrams, compare_by_frequency);
  chosen = g_new0 (gboolean, trigrams->len);
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < trigrams->len && n_chosen < MAX_TRIGRAMS; i++)
      {
        const Trigram *candidate = &g_array_index (trigrams, Trigram, i);

        if (chosen[i] || (pass == 0 && word_done[candidate->word]) ||
            (n_chosen > 0 && candidate->frequency > MAX_USEFUL_FREQUENCY))
          continue;
        if (expression->len > 0)
          g_string_append (expression, " AND ");
        append_fts_string (expression, candidate->gram);
        chosen[i] = TRUE;
        word_done[candidate->word] = TRUE;
        n_chosen++;
      }
  *match = g_string_free (g_steal_pointer (&expression), FALSE);

  return TRUE;
}

/* For each block of 1024 row ids, the newest created_at at or below it. */
typedef struct
{
  GArray *blocks;
  GArray *newest;
} Watermarks;

static void
watermarks_clear (Watermarks *watermarks)
{
  g_clear_pointer (&watermarks->blocks, g_array_unref);
  g_clear_pointer (&watermarks->newest, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Watermarks, watermarks_clear)

static gboolean
watermarks_load (PdLedgerDb  *db,
                 Watermarks  *watermarks,
                 GError     **error)
{
  g_autoptr(PdLedgerStmt) stmt =
    pd_ledger_db_prepare (db, "SELECT block, max_created_at FROM search_watermarks ORDER BY block", error);
  gint64 newest = G_MININT64;
  int rc;

  if (stmt == NULL)
    return FALSE;
  watermarks->blocks = g_array_new (FALSE, FALSE, sizeof (gint64));
  watermarks->newest = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 block = sqlite3_column_int64 (stmt, 0);

      newest = MAX (newest, sqlite3_column_int64 (stmt, 1));
      g_array_append_val (watermarks->blocks, block);
      g_array_append_val (watermarks->newest, newest);
    }
  if (rc != SQLITE_DONE)
    return pd_ledger_db_fail (db, rc, error);

  return TRUE;
}

/* The newest created_at any row with an id below @id can have. */
static gint64
watermarks_bound (Watermarks *watermarks,
                  gint64      id)
{
  gint64 block = id >> 10;
  guint low = 0;
  guint high = watermarks->blocks->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (watermarks->blocks, gint64, middle) <= block)
        low = middle + 1;
      else
        high = middle;
    }

  return low == 0 ? G_MININT64 : g_array_index (watermarks->newest, gint64, low - 1);
}

typedef struct
{
  gint64 created_at;
  gint64 id;
} PageKey;

/* Keeps the @size newest keys, newest first. */
static void
page_keys_insert (GArray *keys,
                  guint   size,
                  gint64  created_at,
                  gint64  id)
{
  PageKey key = { created_at, id };
  guint position = keys->len;

  while (position > 0)
    {
      const PageKey *before = &g_array_index (keys, PageKey, position - 1);

      if (before->created_at > created_at || (before->created_at == created_at && before->id > id))
        break;
      position--;
    }
  if (position >= size)
    return;
  g_array_insert_val (keys, position, key);
  if (keys->len > size)
    g_array_set_size (keys, size);
}

static gboolean
fetch_rows (PdLedgerDb  *db,
            GArray      *keys,
            guint        offset,
            gpointer    *result,
            GError     **error)
{
  g_autoptr(GListStore) store = g_list_store_new (PD_TYPE_TRANSACTION);

  for (guint i = offset; i < keys->len; i++)
    {
      g_autoptr(PdLedgerStmt) stmt =
        pd_ledger_db_prepare (db, "SELECT " PD_LEDGER_TRANSACTION_COLUMNS " FROM transactions WHERE id = ?1", error);
      g_autoptr(PdTransaction) transaction = NULL;
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, g_array_index (keys, PageKey, i).id);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        return pd_ledger_db_fail (db, rc == SQLITE_DONE ? SQLITE_CORRUPT : rc, error);
      transaction = pd_ledger_transaction_from_row (stmt);
      g_list_store_append (store, transaction);
    }
  *result = g_steal_pointer (&store);

  return TRUE;
}

/* The search's default order: candidates newest row id first, kept until no older row id can beat the page. */
static gboolean
search_newest_first (PdLedgerDb      *db,
                     PdLedgerFilter  *filter,
                     Search          *search,
                     const char      *match,
                     guint            offset,
                     guint            limit,
                     gpointer        *result,
                     GError         **error)
{
  g_autoptr(Query) query = query_new ();
  g_autoptr(PdLedgerStmt) stmt = NULL;
  g_auto(Watermarks) watermarks = { NULL, NULL };
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (PageKey));
  guint size = offset + limit;
  int rc;

  if (!watermarks_load (db, &watermarks, error))
    return FALSE;

  g_string_append_printf (query->sql, "SELECT s.rowid, t.created_at, (t.account_id = %s",
                          query_param_text (query, pd_ledger_filter_get_account_id (filter)));
  append_conditions (query, filter, "t.", TRUE, search->needles);
  g_string_append_printf (query->sql,
                          ") FROM transactions_search (%s) AS s CROSS JOIN transactions AS t ON t.id = s.rowid"
                          " ORDER BY s.rowid DESC",
                          query_param_text (query, match));
  stmt = query_prepare (db, query, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (sqlite3_column_int (stmt, 2))
        page_keys_insert (keys, size, sqlite3_column_int64 (stmt, 1), id);
      if (keys->len == size &&
          g_array_index (keys, PageKey, size - 1).created_at >= watermarks_bound (&watermarks, id))
        break;
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return pd_ledger_db_fail (db, rc, error);
  g_clear_pointer (&stmt, pd_ledger_stmt_release);

  return fetch_rows (db, keys, offset, result, error);
}

/* The search in any other order: every candidate, sorted. */
static gboolean
search_sorted (PdLedgerDb      *db,
               PdLedgerFilter  *filter,
               Search          *search,
               const char      *match,
               guint            offset,
               guint            limit,
               gpointer        *result,
               GError         **error)
{
  g_autoptr(Query) query = query_new ();
  g_autoptr(PdLedgerStmt) stmt = NULL;

  g_string_append_printf (query->sql,
                          "SELECT " PD_LEDGER_TRANSACTION_COLUMNS " FROM transactions NOT INDEXED"
                          " WHERE id IN (SELECT rowid FROM transactions_search (%s)) AND account_id = %s",
                          query_param_text (query, match),
                          query_param_text (query, pd_ledger_filter_get_account_id (filter)));
  append_conditions (query, filter, "", TRUE, search->needles);
  append_order_by (query, filter);
  g_string_append_printf (query->sql, " LIMIT %s", query_param_number (query, limit));
  g_string_append_printf (query->sql, " OFFSET %s", query_param_number (query, offset));

  stmt = query_prepare (db, query, error);
  if (stmt == NULL)
    return FALSE;
  *result = pd_ledger_db_collect_transactions (db, stmt, error);

  return *result != NULL;
}

gboolean
pd_ledger_op_query (PdLedgerDb    *db,
                    PdLedgerArgs  *args,
                    gpointer      *result,
                    GError       **error)
{
  PdLedgerFilter *filter = args->filter;
  g_autoptr(Search) search = search_new (pd_ledger_filter_get_text (filter));
  g_autofree char *match = NULL;

  if (args->limit == 0)
    {
      *result = g_list_store_new (PD_TYPE_TRANSACTION);
      return TRUE;
    }
  if (!search->indexable)
    return list_filtered (db, filter, search->needles, args->offset, args->limit, result, error);

  if (!choose_trigrams (db, search, &match, error))
    return FALSE;
  if (match == NULL)
    {
      *result = g_list_store_new (PD_TYPE_TRANSACTION);
      return TRUE;
    }
  if (pd_ledger_filter_get_sort (filter) == PD_LEDGER_SORT_CREATED_AT &&
      pd_ledger_filter_get_descending (filter) &&
      (gint64) args->offset + args->limit <= MAX_STREAM_ROWS)
    return search_newest_first (db, filter, search, match, args->offset, args->limit, result, error);

  return search_sorted (db, filter, search, match, args->offset, args->limit, result, error);
}

gboolean
pd_ledger_op_count (PdLedgerDb    *db,
                    PdLedgerArgs  *args,
                    gpointer      *result,
                    GError       **error)
{
  PdLedgerFilter *filter = args->filter;
  g_autoptr(Search) search = search_new (pd_ledger_filter_get_text (filter));
  g_autoptr(Query) query = query_new ();
  g_autofree char *match = NULL;
  const char *account_id = pd_ledger_filter_get_account_id (filter);
  gint64 count = 0;

  if (search->indexable)
    {
      if (!choose_trigrams (db, search, &match, error))
        return FALSE;
      if (match == NULL)
        {
          *result = g_memdup2 (&count, sizeof count);
          return TRUE;
        }
      g_string_append_printf (query->sql,
                              "SELECT count(*) FROM transactions NOT INDEXED"
                              " WHERE id IN (SELECT rowid FROM transactions_search (%s)) AND account_id = %s",
                              query_param_text (query, match), query_param_text (query, account_id));
    }
  else
    {
      IndexKind kind;

      if (!choose_index (db, filter, FALSE, &kind, error))
        return FALSE;
      g_string_append_printf (query->sql, "SELECT count(*) FROM transactions INDEXED BY %s WHERE account_id = %s",
                              index_names[kind], query_param_text (query, account_id));
    }
  append_conditions (query, filter, "", TRUE, search->needles);

  if (!count_rows (db, query, &count, error))
    return FALSE;
  *result = g_memdup2 (&count, sizeof count);

  return TRUE;
}
