"""The packages imported are this repository's, installed as 'backprop-classroom' — not the
unrelated PyPI projects called 'micrograd' and 'nn'."""
import importlib
import importlib.metadata as metadata
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = 'backprop-classroom'


@pytest.mark.parametrize('name', ['micrograd', 'nn'])
def test_package_comes_from_this_repository(name):
    module = importlib.import_module(name)
    where = getattr(module, '__file__', None)
    assert where is not None, f"{name} is a namespace package ({list(module.__path__)}), not {ROOT / name}"
    path = Path(where).resolve()
    assert path == ROOT / name / '__init__.py', f"`import {name}` found {path}, not this repository ({ROOT})"


@pytest.fixture(scope='module')
def owners_of():
    return metadata.packages_distributions()    # scans every installed distribution: once


@pytest.mark.parametrize('name', ['micrograd', 'nn'])
def test_package_is_installed_as_backprop_classroom(name, owners_of):
    owners = owners_of.get(name, [])
    assert set(owners) == {DISTRIBUTION}, f"`{name}` is provided by {owners}, expected only {DISTRIBUTION}"


@pytest.mark.parametrize('name', ['micrograd', 'nn'])
def test_no_pypi_package_of_the_same_name_is_installed(name):
    with pytest.raises(metadata.PackageNotFoundError):
        metadata.distribution(name)


def test_distribution_metadata():
    dist = metadata.distribution(DISTRIBUTION)
    assert dist.metadata['Name'] == DISTRIBUTION
    assert {'micrograd', 'nn'} <= set(dist.read_text('top_level.txt').split())


def test_a_plain_install_carries_every_package_and_data_file():
    """What setup.cfg ships is every package of the tree (a sub-package left out of an explicit
    list works in the editable install the tests use, and is missing from a wheel)."""
    import configparser
    from setuptools import find_packages
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / 'setup.cfg', encoding='utf-8')
    assert cfg['options']['packages'].strip() == 'find:'
    include = cfg['options.packages.find']['include'].replace(',', ' ').split()
    shipped = set(find_packages(str(ROOT), include=include))
    on_disk = {str(p.parent.relative_to(ROOT)).replace('/', '.')
               for top in ('micrograd', 'nn') for p in (ROOT / top).rglob('__init__.py')}
    assert shipped == on_disk, f"not shipped: {sorted(on_disk - shipped)}"
    data = cfg['options.package_data']['micrograd']
    assert 'views/assets/*' in data and 'i18n/locale/*' in data


def test_the_license_setup_cfg_names_is_in_the_repository():
    cfg = (ROOT / 'setup.cfg').read_text(encoding='utf-8')
    assert 'license = MIT' in cfg and 'license_files = LICENSE' in cfg
    assert (ROOT / 'LICENSE').read_text(encoding='utf-8').startswith('MIT License')


def test_every_document_the_code_cites_exists():
    """Every docs/… file that the code, the catalogue or the README names is one a learner can open."""
    project = [*ROOT.glob('micrograd/**/*.py'), *ROOT.glob('nn/**/*.py'),
               *ROOT.glob('micrograd/i18n/locale/*.po'), ROOT / 'README.md']
    cited = {}
    for path in [*project, *ROOT.glob('tests/**/*.py')]:
        for name in re.findall(r'\b(docs/[\w./-]+\.md)\b', path.read_text(encoding='utf-8')):
            cited.setdefault(name, path.relative_to(ROOT))
    assert 'docs/seeds.md' in cited
    missing = {name: str(where) for name, where in cited.items() if not (ROOT / name).is_file()}
    assert not missing, f"cited but not in the repository: {missing}"
    stale = [str(p.relative_to(ROOT)) for p in project if 'REFERENCE' in p.read_text(encoding='utf-8')]
    assert not stale, f"{stale} cite REFERENCE.md, which is not part of the repository"
