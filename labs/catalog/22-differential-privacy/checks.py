"""Checks of lab 22 (differential privacy with SmartNoise): what the learner logged on runs of `dp-explore`, compared
with what the data really gives. A private value must differ from the truth (noise was added) yet stay as close as its
epsilon allows; the epsilon trade-off is recomputed from the logged errors."""

from __future__ import annotations

from labs import checklib
from labs.grading import failed, needs, passed

EXPERIMENT = "dp-explore"
EPSILONS = [0.05, 0.1, 0.5, 1.0, 5.0]
# How far a private mean of Age may sit from the truth: at epsilon 0.5 over 10,000 rows in [0, 120] the Laplace
# scale is about 0.05 years, so a value a year off was not released at that epsilon.
MEAN_TOLERANCE = 1.0
SQL_TOLERANCE = 3.0  # AVG per group at epsilon 0.7: a noisy sum over a noisy count of thousands of rows
EXACT = 1e-6


def _runs_with(record, metric: str) -> list[dict]:
    """Completed runs of the experiment that logged `metric`, newest first."""
    found = []
    for run in checklib.runs(record, EXPERIMENT):
        if checklib.run_status(record, run["run_id"]) != "Completed":
            continue
        values = checklib.metrics(record, run["run_id"])
        if metric in values:
            found.append(values)
    return found


def _latest_with(record, metric: str) -> dict:
    """The metrics of the newest completed run that logged `metric` ({} when none did)."""
    runs = _runs_with(record, metric)
    return runs[0] if runs else {}


def _missing(metric: str, how: str):
    return failed(f"No completed run of '{EXPERIMENT}' has the metric '{metric}' yet: {how}, then run.complete().",
                  pt=f"Nenhuma execução concluída de '{EXPERIMENT}' tem a métrica '{metric}' ainda: {how}, depois "
                     "run.complete().")


# ---- step 1: a private mean ------------------------------------------------------------------------------

def private_mean_run(record):
    if not _runs_with(record, "private_mean_age"):
        return _missing("private_mean_age", "log the released value with run.log")
    return passed("A completed run holds the private mean of Age.",
                  pt="Uma execução concluída guarda a média privada de Age.")


@needs("private_mean_run")
def actual_mean_matches_data(record, data):
    logged = _latest_with(record, "private_mean_age")
    found, expected = checklib.scalar(logged.get("actual_mean_age")), float(data.frame().Age.mean())
    if found is None:
        return failed("The run has no 'actual_mean_age': log diabetes.Age.mean() beside the private value.",
                      pt="A execução não tem 'actual_mean_age': registre diabetes.Age.mean() ao lado do valor privado.")
    if not checklib.near(found, expected, 1e-6):
        return failed("'actual_mean_age' is not the mean of the Age column of data/diabetes.csv.",
                      expected=round(expected, 4), found=found,
                      pt="'actual_mean_age' não é a média da coluna Age de data/diabetes.csv.")
    return passed("'actual_mean_age' is the data's mean age.", pt="'actual_mean_age' é a idade média dos dados.")


@needs("private_mean_run")
def private_mean_is_noisy_and_close(record, data):
    logged = _latest_with(record, "private_mean_age")
    private, actual = checklib.scalar(logged.get("private_mean_age")), float(data.frame().Age.mean())
    epsilon = checklib.scalar(logged.get("epsilon"))
    if not isinstance(private, int | float):
        return failed("There is no private mean to compare with the data: log the number sn.dp_mean released as "
                      "'private_mean_age'.", found=private,
                      pt="Não há média privada para comparar com os dados: registre como 'private_mean_age' o número "
                         "que o sn.dp_mean publicou.")
    if not checklib.near(epsilon, 0.5, EXACT):
        return failed("Log the epsilon the mean was released at as 'epsilon' (0.5).", expected=0.5, found=epsilon,
                      pt="Registre como 'epsilon' o epsilon com que a média foi publicada (0.5).")
    if abs(private - actual) < EXACT:
        return failed("'private_mean_age' equals the actual mean: no noise was added, so it is not private. Log "
                      "the value of sn.dp_mean after analysis.release().", found=private,
                      pt="'private_mean_age' é igual à média real: nenhum ruído foi acrescentado, então ela não é "
                         "privada. Registre o valor de sn.dp_mean depois de analysis.release().")
    if abs(private - actual) > MEAN_TOLERANCE:
        return failed(f"'private_mean_age' is {abs(private - actual):.2f} years from the truth, far more than noise at "
                      "epsilon 0.5 moves it (about 0.05): check data_lower=0, data_upper=120 and data_rows.",
                      expected=f"{actual:.2f} ± {MEAN_TOLERANCE}", found=private,
                      pt=f"'private_mean_age' está a {abs(private - actual):.2f} anos do valor real, muito mais do que "
                         "o ruído com epsilon 0.5 causa (cerca de 0,05): confira data_lower=0, data_upper=120 e "
                         "data_rows.")
    return passed(f"The private mean ({private:.3f}) differs from the actual one ({actual:.3f}) by noise only.",
                  pt=f"A média privada ({private:.3f}) difere da real ({actual:.3f}) apenas pelo ruído.")


# ---- step 2: the epsilon trade-off ----------------------------------------------------------------------

def _tradeoff(record) -> dict | None:
    runs = _runs_with(record, "epsilon_tradeoff")
    return runs[0]["epsilon_tradeoff"] if runs else None


def tradeoff_logged(record):
    table = _tradeoff(record)
    if table is None:
        return _missing("epsilon_tradeoff", "log run.log_table('epsilon_tradeoff', {'epsilon': [...], "
                        "'mean_abs_error': [...]})")
    if not isinstance(table, dict) or set(table) != {"epsilon", "mean_abs_error"}:
        return failed("'epsilon_tradeoff' must be a table with the columns 'epsilon' and 'mean_abs_error'.",
                      expected=["epsilon", "mean_abs_error"], found=sorted(table) if isinstance(table, dict) else table,
                      pt="'epsilon_tradeoff' precisa ser uma tabela com as colunas 'epsilon' e 'mean_abs_error'.")
    if [float(e) for e in table["epsilon"]] != EPSILONS:
        return failed("The table's epsilons are not the ones the step asks for, in that order.", expected=EPSILONS,
                      found=table["epsilon"], pt="Os epsilons da tabela não são os que a etapa pede, nessa ordem.")
    return passed("The trade-off table has one mean absolute error per epsilon.",
                  pt="A tabela do compromisso tem um erro absoluto médio por epsilon.")


@needs("tradeoff_logged")
def lower_epsilon_more_error(record):
    table = _tradeoff(record)
    if not isinstance(table, dict) or "mean_abs_error" not in table:
        return failed("There are no errors to compare: the trade-off table needs a column 'mean_abs_error'.",
                      pt="Não há erros para comparar: a tabela do compromisso precisa de uma coluna 'mean_abs_error'.")
    errors = [float(e) for e in table["mean_abs_error"]]
    if len(errors) != len(EPSILONS) or min(errors) <= 0:
        return failed("Every mean absolute error must be above 0: a private release always carries some noise.",
                      found=errors, pt="Todo erro absoluto médio precisa ser maior que 0: uma publicação privada "
                                       "sempre tem algum ruído.")
    # Laplace noise's scale is inversely proportional to epsilon, so from 0.05 to 5.0 the error shrinks about 100
    # times; averaged over 20 releases, a factor below 10 (or errors of a year at epsilon 5) is not that noise.
    if errors[0] < 10 * errors[-1] or errors[-1] > MEAN_TOLERANCE:
        return failed("The errors do not shrink as epsilon grows the way Laplace noise does (about 100 times from "
                      "0.05 to 5.0): check that each release uses its own epsilon and that each error is averaged "
                      "over 20 releases.", expected="error(0.05) > 10 x error(5.0)", found=errors,
                      pt="Os erros não diminuem com o aumento do epsilon como o ruído de Laplace faz (cerca de 100 "
                         "vezes de 0,05 a 5,0): confira se cada publicação usa o seu próprio epsilon e se cada erro "
                         "é a média de 20 publicações.")
    return passed(f"Lower epsilon, more error: {errors[0]:.3f} years at 0.05 against {errors[-1]:.4f} at 5.0.",
                  pt=f"Menor epsilon, mais erro: {errors[0]:.3f} anos com 0,05 contra {errors[-1]:.4f} com 5,0.")


# ---- step 3: a private SQL query -------------------------------------------------------------------------

def _sql_tables(record) -> dict:
    return _latest_with(record, "private_avg_age")


def _by_group(table) -> dict | None:
    if not isinstance(table, dict) or set(table) != {"Diabetic", "AvgAge"}:
        return None
    return {int(k): float(v) for k, v in zip(table["Diabetic"], table["AvgAge"], strict=False)}


def private_sql_logged(record):
    logged = _sql_tables(record)
    if not logged:
        return _missing("private_avg_age", "log the PrivateReader's rows with run.log_table")
    if _by_group(logged["private_avg_age"]) is None or _by_group(logged.get("actual_avg_age")) is None:
        return failed("Log both tables, 'private_avg_age' and 'actual_avg_age', each with the columns 'Diabetic' "
                      "and 'AvgAge'.", pt="Registre as duas tabelas, 'private_avg_age' e 'actual_avg_age', cada "
                                         "uma com as colunas 'Diabetic' e 'AvgAge'.")
    return passed("Both answers of the query are logged.", pt="As duas respostas da consulta estão registradas.")


@needs("private_sql_logged")
def actual_sql_matches_data(record, data):
    found = _by_group(_sql_tables(record).get("actual_avg_age")) or {}
    expected = {int(k): float(v) for k, v in data.frame().groupby("Diabetic").Age.mean().items()}
    if set(found) != set(expected) or any(not checklib.near(found[k], expected[k], 1e-6) for k in expected):
        return failed("'actual_avg_age' is not the average age per Diabetic group of the data: log the "
                      "PandasReader's answer.", expected=expected, found=found,
                      pt="'actual_avg_age' não é a idade média por grupo de Diabetic dos dados: registre a resposta "
                         "do PandasReader.")
    return passed("The exact answer matches the data.", pt="A resposta exata confere com os dados.")


@needs("private_sql_logged")
def private_sql_is_noisy_and_close(record, data):
    found = _by_group(_sql_tables(record).get("private_avg_age")) or {}
    expected = {int(k): float(v) for k, v in data.frame().groupby("Diabetic").Age.mean().items()}
    if set(found) != set(expected):
        return failed("The private answer should have one row per Diabetic group (0 and 1).", expected=sorted(expected),
                      found=sorted(found), pt="A resposta privada deveria ter uma linha por grupo de Diabetic (0 e 1).")
    gaps = {k: abs(found[k] - expected[k]) for k in expected}
    if all(gap < EXACT for gap in gaps.values()):
        return failed("'private_avg_age' equals the exact answer: log the PrivateReader's answer, not the "
                      "PandasReader's.", pt="'private_avg_age' é igual à resposta exata: registre a resposta do "
                                            "PrivateReader, não a do PandasReader.")
    if max(gaps.values()) > SQL_TOLERANCE:
        return failed("The private averages are further from the truth than noise at epsilon_per_column 0.7 moves "
                      "them.", expected=expected, found=found,
                      pt="As médias privadas estão mais longe do valor real do que o ruído com epsilon_per_column 0,7 "
                         "as levaria.")
    return passed("The private averages differ from the exact ones by noise only.",
                  pt="As médias privadas diferem das exatas apenas pelo ruído.")
