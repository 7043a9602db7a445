"""Agreement kinds learned from their own example bank: the data meets its bar, the model ships with it, and
a description a teacher might type is read as its kind, or not at all when it names none."""

from __future__ import annotations

import re

import pytest

from assistant.settings import Settings
from assistant.understanding import ExampleBank, IntentClassifier, Understander
from assistant.understanding.intents import cross_validated_accuracy, embed_examples, model_file_name
from assistant.understanding.understander import AGREEMENT_KINDS_FILE, NO_KIND

KINDS_PATH = Settings().understanding_dir / AGREEMENT_KINDS_FILE
CJK = re.compile(r"[\u4e00-\u9fff]")
KINDS = {
    "order_class",
    "post_internship",
    "modern_apprenticeship",
    "employee_training",
    "joint_rd",
    "patent_licensing",
    "shared_training_base",
}


@pytest.fixture(scope="module")
def bank() -> ExampleBank:
    return ExampleBank.load(KINDS_PATH)


def test_the_bank_covers_every_template_kind_in_both_languages(bank):
    assert set(bank.intents) == KINDS | {NO_KIND}
    assert min(bank.labels.count(kind) for kind in KINDS) >= 40
    assert sum(bool(CJK.search(t)) for t in bank.texts) / len(bank.texts) >= 0.4
    assert len({t.lower() for t in bank.texts}) == len(bank.texts)


def test_the_fitted_model_ships_and_reads_held_out_examples(bank, embedder):
    assert (KINDS_PATH.parent / model_file_name(bank, embedder)).exists(), "run `assistant seed-vectors`"
    assert set(IntentClassifier.build(bank, embedder, [KINDS_PATH.parent]).intents) == KINDS | {NO_KIND}
    assert cross_validated_accuracy(bank, embed_examples(bank, embedder)) >= 0.9


@pytest.mark.parametrize(
    ("passages", "kind"),
    [
        (["Around thirty of your final-year students will spend six months on our packaging line"], "post_internship"),
        (["公司想请学院给我们的叉车司机和仓管员开几期安全操作课"], "employee_training"),
        (["两家一起在开发区建一个焊接实操车间", "学生和员工都能用"], "shared_training_base"),
        (
            ["Hi all,", "the firm would like to use our patented sensor housing design for a yearly fee"],
            "patent_licensing",
        ),
        # Generic cooperation names no kind: asked, not guessed.
        (["我们想和这家企业签一个战略合作框架协议"], None),
    ],
)
def test_a_description_is_read_as_its_kind_from_its_most_telling_passage(embedder, tmp_path, passages, kind):
    understander = Understander(embedder, Settings().understanding_dir / "intents.yaml", tmp_path)
    assert understander.agreement_kind(passages) == kind
