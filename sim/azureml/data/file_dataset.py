"""``azureml.data.file_dataset``: a dataset of files, used as paths, downloads or a mounted folder.

``mount()`` gives a real local folder filled with *symbolic links* to the datastore's files (a copy where
the file system cannot link), so reads are live and nothing is duplicated; the folder is removed when the
context ends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import sim.cloud.data_engine
from sim import messages
from sim.azureml._common.cloud import in_process
from sim.azureml._common.not_simulated import not_simulated
from sim.azureml._common.service_errors import v1_service
from sim.azureml.data.abstract_dataset import AbstractDataset, _user_error
from sim.azureml.data.tabular_dataset import _count, _split_args

_engine = v1_service(sim.cloud.data_engine)


def _place(dataset, files, folder: Path, link: bool) -> list[str]:
    """Put ``files`` of ``dataset`` under ``folder`` at their relative paths (as links or copies); return the paths.

    When the simulated Azure runs as its own service, this process may not see the datastore's files: each file's
    bytes come from the service (and a mount holds copies, not links).
    """
    from sim.cloud.runs.inputs import place_files

    if in_process():
        return place_files(files, folder, link)
    return place_files(files, folder, link, content=lambda found: _engine.file_bytes(
        dataset._record, dataset._definition, found.relative))


class MountContext:
    """A mounted FileDataset: ``start()`` fills ``mount_point``, ``stop()`` removes what it made.

    Use it as a context manager: ``with dataset.mount() as context: os.listdir(context.mount_point)``.
    """

    def __init__(self, dataset, mount_point=None):
        """Prepare a mount of ``dataset`` at ``mount_point`` (a new temporary folder when None)."""
        self._dataset = dataset
        self._own_folder = mount_point is None
        self.mount_point = str(Path(mount_point or tempfile.mkdtemp(prefix="dataset_mount_")).absolute())
        self._placed = []

    def start(self):
        """Mount: link every file of the dataset under ``mount_point``."""
        files = _engine.files_of(self._dataset._record, self._dataset._definition)
        Path(self.mount_point).mkdir(parents=True, exist_ok=True)
        self._placed = _place(self._dataset, files, Path(self.mount_point), link=True)

    def stop(self):
        """Unmount: remove the links (and the folder when the mount made it)."""
        if self._own_folder:
            shutil.rmtree(self.mount_point, ignore_errors=True)
            return
        for path in self._placed:
            if os.path.islink(path) or os.path.isfile(path):
                os.unlink(path)
        self._placed = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
        return False


class FileDataset(AbstractDataset):
    """A dataset of files in a datastore (any format); scripts read them from a download or a mount."""

    def __init__(self):
        """Create an empty dataset; use Dataset.File.from_files."""
        super().__init__()

    def to_path(self):
        """The dataset's file paths, relative to the common folder of its sources (e.g. '/diabetes.csv')."""
        return [f.relative for f in _engine.files_of(self._record, self._definition)]

    def download(self, target_path=None, overwrite=False, ignore_not_found=False):
        """Copy the files into ``target_path`` (a new temporary folder when None).

        Returns:
            list[str]: the absolute paths of the downloaded files.

        Raises:
            UserErrorException: a file exists already and ``overwrite`` is False.
        """
        folder = Path(target_path or tempfile.mkdtemp(prefix="dataset_download_")).absolute()
        files = _engine.files_of(self._record, self._definition)
        if not overwrite:
            for f in files:
                dest = folder / f.relative.lstrip("/")
                if dest.exists():
                    raise _user_error(messages.DATASET_TARGET_EXISTS.format(path=dest))
        return _place(self, files, folder, link=False)

    def mount(self, mount_point=None, **kwargs):
        """A MountContext that makes the files appear under a local folder while it is active."""
        return MountContext(self, mount_point)

    def as_download(self, path_on_compute=None):
        """Deliver the dataset to a run as a downloaded folder (the script gets its path)."""
        return self.as_named_input(None).as_download(path_on_compute)

    def as_mount(self, path_on_compute=None):
        """Deliver the dataset to a run as a mounted folder (the script gets its path)."""
        return self.as_named_input(None).as_mount(path_on_compute)

    def as_named_input(self, name):
        """Give the dataset a name for a run; chain ``.as_download()`` or ``.as_mount()`` to get paths."""
        from sim.azureml.data.dataset_consumption_config import DatasetConsumptionConfig

        return DatasetConsumptionConfig(name, self)

    def take(self, count):
        """A dataset of the first ``count`` files."""
        return self._derive({"op": "take", "count": _count(count)})

    def skip(self, count):
        """A dataset without the first ``count`` files."""
        return self._derive({"op": "skip", "count": _count(count)})

    def take_sample(self, probability, seed=None):
        """A dataset of a random sample of the files."""
        percentage, seed = _split_args(probability, seed)
        return self._derive({"op": "random_split", "percentage": percentage, "seed": seed, "part": 0})

    def random_split(self, percentage, seed=None):
        """Split the files at random into two datasets (about ``percentage`` of them, and the rest)."""
        percentage, seed = _split_args(percentage, seed)
        step = {"op": "random_split", "percentage": percentage, "seed": seed}
        return self._derive(dict(step, part=0)), self._derive(dict(step, part=1))

    def as_hdfs(self):
        """Not simulated: HDFS delivery exists only on Synapse Spark pools."""
        not_simulated("FileDataset.as_hdfs")

    def as_cache(self, datacache_store):
        """Not simulated: data caches."""
        not_simulated("FileDataset.as_cache")

    def hydrate(self, datacache_store, replica_count=None):
        """Not simulated: data caches."""
        not_simulated("FileDataset.hydrate")

    def file_metadata(self, col):
        """Not simulated: file metadata expressions."""
        not_simulated("FileDataset.file_metadata")

    def filter(self, expression):
        """Not simulated: filtering files by metadata (use take, skip or a narrower glob)."""
        not_simulated("FileDataset.filter")
