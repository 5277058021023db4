"""Run records: curves grown from the trainer's records, learning-rate marks, the Train tab's
datasets, and runs saved beside a model and read back (malformed entries explained)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from fake_data import bar_digits, cifar_archive, cifar_batch, write_mnist

from convviz.core import lenet5
from convviz.core.nn.serialization import ARCHITECTURE_KEY, load_model, model_to_arrays, save_arrays
from convviz.core.training import cifar10, datasets, runs
from convviz.core.training.data import DatasetError
from convviz.core.training.trainer import EpochRecord, StepRecord, Trainer, TrainingConfig

SETTINGS = runs.RunSettings("LeNet-5 classic", "Adam", 0.001, 32, "MNIST", 2, 0,
                            "random weights", 61706)


def trained_run(rate_change_at: int | None = None) -> tuple[runs.Run, list]:
    """A run fed from a real trainer (2 epochs of bar digits), the rate changed at a step."""
    images, labels = bar_digits(160, 0)
    trainer = Trainer(TrainingConfig(arch="classic", epochs=2, batch_size=32, validation_size=32),
                      images, labels)
    run = runs.RunLog().start(SETTINGS, trainer.model.get_weights())
    records = []
    for record in trainer.run():
        records.append(record)
        if isinstance(record, StepRecord):
            run.add_step(record)
            if record.step == rate_change_at:
                trainer.optimizer.learning_rate = 0.0003
        elif isinstance(record, EpochRecord):
            run.add_epoch(record)
    run.finish("completed")
    return run, records


def test_a_run_keeps_every_step_the_validation_and_the_time():
    run, records = trained_run()
    steps = [r for r in records if isinstance(r, StepRecord)]
    epochs = [r for r in records if isinstance(r, EpochRecord)]
    assert [loss for _, loss, _ in run.steps] == [r.loss for r in steps]
    assert run.steps[3][0] == pytest.approx(4 / 4) and run.steps[-1][0] == pytest.approx(2.0)
    assert [v[2] for v in run.validation] == [e.val_accuracy for e in epochs]
    assert run.best_validation_accuracy == max(e.val_accuracy for e in epochs)
    assert run.seconds == pytest.approx(sum(e.seconds for e in epochs))
    assert run.rate_changes == [], "a constant rate is never marked"
    assert run.label == "run 1 · LeNet-5 classic · Adam · lr 0.001 · batch 32 · MNIST"


def test_a_learning_rate_change_is_marked_where_the_new_rate_was_first_used():
    run, records = trained_run(rate_change_at=2)
    steps = [r for r in records if isinstance(r, StepRecord)]
    assert [r.learning_rate for r in steps[:4]] == pytest.approx([0.001, 0.001, 0.0003, 0.0003])
    # step 3 (epoch 1, batch 3 of 4) used the new rate first: it began at x = 2/4
    assert run.rate_changes == [(pytest.approx(0.5), pytest.approx(0.0003))]


def test_the_log_numbers_runs_and_keeps_initial_weights_apart():
    log = runs.RunLog()
    weights = [np.ones(3, np.float32)]
    first = log.start(SETTINGS, weights)
    weights[0][0] = 5
    assert first.initial_weights[0][0] == 1, "a copy, not the trainer's arrays"
    assert log.start(SETTINGS).number == 2 and log.get(1) is first and log.get(7) is None


def test_runs_saved_beside_the_model_come_back_and_twice_opened_ones_once(tmp_path):
    run, _ = trained_run(rate_change_at=2)
    run.add_test(2, 0.75)
    path = tmp_path / "model.npz"
    runs.save_model_with_runs(lenet5("classic"), [run], path)
    assert load_model(path).get_config() == lenet5("classic").get_config()
    (back,) = runs.read_runs(path)
    assert back.id == run.id and back.settings == run.settings and back.status == "completed"
    assert back.steps == [tuple(p) for p in run.steps] and back.validation == run.validation
    assert back.tests == [(2.0, 0.75)] and back.test_accuracy == 0.75
    assert back.rate_changes == run.rate_changes and back.initial_weights is None
    log = runs.RunLog()
    log.start(SETTINGS)
    assert [r.number for r in log.add_saved(runs.read_runs(path), "model.npz")] == [2]
    assert log.add_saved(runs.read_runs(path), "model.npz") == []
    assert log.get(2).source == "model.npz"


def test_a_long_run_is_averaged_down_when_saved():
    run = runs.Run(1, SETTINGS, steps=[(i / 10, 1.0 + i % 2, 0.5) for i in range(5001)])
    saved = runs.run_to_dict(run)["steps"]
    assert len(saved) == runs.MAX_POINTS
    assert saved[0][1] == pytest.approx(1.5, abs=0.34) and saved[-1][0] == pytest.approx(499.9,
                                                                                         abs=0.3)


def a_file_with_runs(tmp_path, document) -> object:
    path = tmp_path / "model.npz"
    arrays = model_to_arrays(lenet5("classic"))
    arrays[runs.RUNS_KEY] = np.array(json.dumps(document))
    save_arrays(path, arrays)
    return path


def good_document() -> dict:
    run, _ = trained_run()
    return json.loads(runs.runs_to_json([run]))


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(format="other"), "not a list of convviz runs"),
    (lambda d: d.update(version=9), "version 9"),
    (lambda d: d["runs"][0].pop("steps"), "must name exactly"),
    (lambda d: d["runs"][0]["settings"].update(learning_rate=-1), "learning rate must be"),
    (lambda d: d["runs"][0]["settings"].update(batch_size=True), "batch size must be"),
    (lambda d: d["runs"][0]["steps"].append([0.1, "x", 0.3]), "the steps, point"),
    (lambda d: d["runs"][0]["validation"].append([1, 0.2]), "must hold 3 numbers"),
    (lambda d: d["runs"][0]["tests"].append([1, 1.5]), "test scores, point 0"),
    (lambda d: d["runs"][0].update(status="exploded"), "status must be one of"),
    (lambda d: d["runs"][0].update(id="../etc"), "letters and digits"),
    (lambda d: d["runs"][0]["settings"].update(architecture="x" * 500), "at most 200"),
])
def test_a_malformed_runs_entry_is_one_sentence_and_the_model_still_loads(tmp_path, change,
                                                                        message):
    document = good_document()
    change(document)
    path = a_file_with_runs(tmp_path, document)
    with pytest.raises(runs.RunsError, match=message) as caught:
        runs.read_runs(path)
    assert str(caught.value).startswith("model.npz: its saved runs cannot be read")
    assert load_model(path).get_config() == lenet5("classic").get_config()


def test_runs_that_are_not_json_or_not_text_are_explained(tmp_path):
    path = tmp_path / "model.npz"
    arrays = model_to_arrays(lenet5("classic"))
    arrays[runs.RUNS_KEY] = np.array("{not json")
    save_arrays(path, arrays)
    with pytest.raises(runs.RunsError, match="not valid JSON"):
        runs.read_runs(path)
    arrays[runs.RUNS_KEY] = np.zeros(3)
    save_arrays(path, arrays)
    with pytest.raises(runs.RunsError, match="not a text entry"):
        runs.read_runs(path)
    del arrays[runs.RUNS_KEY]
    save_arrays(path, arrays)
    assert runs.read_runs(path) == [] and ARCHITECTURE_KEY in arrays


# --- the Train tab's datasets -------------------------------------------------------------------

def test_training_sets_in_the_real_formats(tmp_path):
    write_mnist(tmp_path / "fashion", bar_digits(30, 0), bar_digits(10, 1))
    fashion = datasets.read_training_set(datasets.FASHION_MNIST, tmp_path / "fashion")
    assert fashion.name == "fashion-mnist" and fashion.image_shape == (28, 28, 1)
    assert fashion.class_names[0] == "T-shirt/top" and fashion.test_labels.shape == (10,)
    batches = {name: cifar_batch(4, seed)[0]
               for seed, name in enumerate((*cifar10.TRAIN_BATCHES, cifar10.TEST_BATCH))}
    (tmp_path / "cifar").mkdir()
    (tmp_path / "cifar" / cifar10.ARCHIVE).write_bytes(cifar_archive(batches))
    assert datasets.missing(datasets.CIFAR10, tmp_path / "cifar") == []
    assert datasets.missing(datasets.CIFAR10, tmp_path) == [cifar10.ARCHIVE]
    colour = datasets.read_training_set(datasets.CIFAR10, tmp_path / "cifar")
    assert colour.image_shape == (32, 32, 3) and colour.train_labels.shape == (20,)
    assert colour.class_names[3] == "cat"
    with pytest.raises(DatasetError, match="was not found"):
        datasets.read_training_set(datasets.FASHION_MNIST, tmp_path / "nothing")


def test_an_image_folder_is_split_into_training_and_test_pictures(tmp_path):
    from PIL import Image

    for name, colour in (("cats", (200, 20, 20)), ("dogs", (20, 20, 200))):
        (tmp_path / "pets" / name).mkdir(parents=True)
        for index in range(10):
            Image.new("RGB", (20, 16), colour).save(tmp_path / "pets" / name / f"{index}.png")
    grey = datasets.read_image_folder(tmp_path / "pets", (8, 8, 1))
    assert grey.class_names == ("cats", "dogs") and grey.title == "pets"
    assert grey.train_images.shape == (16, 8, 8) and grey.test_images.shape == (4, 8, 8)
    assert datasets.read_image_folder(tmp_path / "pets", (12, 10, 3)).image_shape == (12, 10, 3)
    with pytest.raises(DatasetError, match="grey .* or colour"):
        datasets.read_image_folder(tmp_path / "pets", (8, 8, 2))
