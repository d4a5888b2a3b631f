/*
 * Copyright 2026 The libcclm authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "cclm-candidate-private.h"
#include "cclm-error-private.h"
#include "cclm-fit-private.h"

struct _CclmCandidate {
	GObject parent_instance;
	gchar *cluster;
	gboolean fits;
	gint score;
	gchar *explanation;
	GPtrArray *verdicts;
	GError *error; /* the cluster could not be read: not judged */
};

G_DEFINE_FINAL_TYPE(CclmCandidate, cclm_candidate, G_TYPE_OBJECT)

/* takes a reference to @verdicts */
CclmCandidate *
cclm_candidate_new(const gchar *cluster,
		   gboolean fits,
		   gint score,
		   const gchar *explanation,
		   GPtrArray *verdicts)
{
	CclmCandidate *self = g_object_new(CCLM_TYPE_CANDIDATE, NULL);

	self->cluster = g_strdup(cluster);
	self->fits = fits;
	self->score = score;
	self->explanation = g_strdup(explanation);
	self->verdicts = g_ptr_array_ref(verdicts);
	return self;
}

/* A cluster that could not be read stays a candidate, one that does not fit, so that a report
 * never drops a cluster silently. */
CclmCandidate *
cclm_candidate_new_unreachable(const gchar *cluster, const GError *error)
{
	g_autoptr(GPtrArray) verdicts = g_ptr_array_new_with_free_func(g_object_unref);
	g_autofree gchar *explanation =
	    g_strdup_printf("not judged: the cluster could not be read (%s)", error->message);
	CclmCandidate *self = cclm_candidate_new(cluster, FALSE, 0, explanation, verdicts);

	self->error = g_error_copy(error);
	return self;
}

/**
 * cclm_candidate_get_cluster:
 * @self: a #CclmCandidate
 *
 * Returns: the candidate cluster's name
 *
 * Since: 0.1
 */
const gchar *
cclm_candidate_get_cluster(CclmCandidate *self)
{
	g_return_val_if_fail(CCLM_IS_CANDIDATE(self), NULL);
	return self->cluster;
}

/**
 * cclm_candidate_get_fits:
 * @self: a #CclmCandidate
 *
 * Returns: %TRUE when every VM asked about fits on this cluster together
 *
 * Since: 0.1
 */
gboolean
cclm_candidate_get_fits(CclmCandidate *self)
{
	g_return_val_if_fail(CCLM_IS_CANDIDATE(self), FALSE);
	return self->fits;
}

/**
 * cclm_candidate_get_score:
 * @self: a #CclmCandidate
 *
 * The headroom score, 0 to 100: the mean of the free CPU and free memory shares left on the
 * cluster's usable nodes after placing the VMs (docs/capacity.md explains it against OCM
 * Placement's prioritizers); 0 for a cluster that could not be read (see
 * [method@Candidate.get_error]).
 *
 * Returns: the score
 *
 * Since: 0.1
 */
gint
cclm_candidate_get_score(CclmCandidate *self)
{
	g_return_val_if_fail(CCLM_IS_CANDIDATE(self), 0);
	return self->score;
}

/**
 * cclm_candidate_get_explanation:
 * @self: a #CclmCandidate
 *
 * Returns: the ranking in words, with the numbers behind the score
 *
 * Since: 0.1
 */
const gchar *
cclm_candidate_get_explanation(CclmCandidate *self)
{
	g_return_val_if_fail(CCLM_IS_CANDIDATE(self), NULL);
	return self->explanation;
}

/**
 * cclm_candidate_get_verdicts:
 * @self: a #CclmCandidate
 *
 * Returns: (transfer none) (element-type CclmFitVerdict): one verdict per VM, in the order
 *   asked, each placement consuming capacity for the next
 *
 * Since: 0.1
 */
GPtrArray *
cclm_candidate_get_verdicts(CclmCandidate *self)
{
	g_return_val_if_fail(CCLM_IS_CANDIDATE(self), NULL);
	return self->verdicts;
}

/**
 * cclm_candidate_get_error:
 * @self: a #CclmCandidate
 *
 * Why the candidate cluster was not judged: a cluster of the fleet that could not be read
 * (unreachable, refused credentials...) is still a candidate, one that does not fit, has no
 * verdicts and carries its error.
 *
 * Returns: (nullable) (transfer none): the error, or %NULL when the cluster was judged
 *
 * Since: 0.1
 */
const GError *
cclm_candidate_get_error(CclmCandidate *self)
{
	g_return_val_if_fail(CCLM_IS_CANDIDATE(self), NULL);
	return self->error;
}

/**
 * cclm_candidate_to_json:
 * @self: a #CclmCandidate
 *
 * Serializes the candidate as docs/capacity-schema.md describes: `cluster`, `fits`, `score`,
 * `explanation` and `verdicts` (each a `cclm.fit/v1` object); a cluster that could not be read
 * has a null `score` and an `error` object (`domain`, `code`, `message`).
 *
 * Returns: (transfer full): a JSON object
 *
 * Since: 0.1
 */
JsonNode *
cclm_candidate_to_json(CclmCandidate *self)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	g_return_val_if_fail(CCLM_IS_CANDIDATE(self), NULL);

	json_builder_begin_object(b);
	json_builder_set_member_name(b, "cluster");
	json_builder_add_string_value(b, self->cluster);
	json_builder_set_member_name(b, "fits");
	json_builder_add_boolean_value(b, self->fits);
	json_builder_set_member_name(b, "score");
	if (self->error != NULL)
		json_builder_add_null_value(b);
	else
		json_builder_add_int_value(b, self->score);
	json_builder_set_member_name(b, "explanation");
	json_builder_add_string_value(b, self->explanation);
	if (self->error != NULL) {
		json_builder_set_member_name(b, "error");
		json_builder_add_value(b, cclm_error_to_json(self->error));
	}
	json_builder_set_member_name(b, "verdicts");
	json_builder_begin_array(b);
	for (guint i = 0; i < self->verdicts->len; i++)
		json_builder_add_value(b, cclm_fit_verdict_to_json(self->verdicts->pdata[i]));
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

static void
cclm_candidate_finalize(GObject *object)
{
	CclmCandidate *self = CCLM_CANDIDATE(object);

	g_free(self->cluster);
	g_free(self->explanation);
	g_ptr_array_unref(self->verdicts);
	g_clear_error(&self->error);
	G_OBJECT_CLASS(cclm_candidate_parent_class)->finalize(object);
}

static void
cclm_candidate_class_init(CclmCandidateClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = cclm_candidate_finalize;
}

static void
cclm_candidate_init(CclmCandidate *self)
{
}
