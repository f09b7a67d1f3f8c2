"""Images (PNG, JPEG, TIFF with all its pages, WebP) read by OCR, with Pillow."""

from __future__ import annotations

import io
import warnings as py_warnings

from docflow.errors import CorruptDocument, LimitExceeded, MissingExtra
from docflow.services.extract.language import guess_language
from docflow.services.extract.ocr import read_image
from docflow.services.extract.result import OCR, Extraction, Limits, clip, describe


class ImageExtractor:
    formats = ("image",)
    isolated = True

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        try:
            from PIL import Image, ImageOps
        except ImportError:
            raise MissingExtra(
                "reading images needs Pillow: pip install 'docflow[documents]'"
            ) from None
        Image.MAX_IMAGE_PIXELS = limits.max_pixels
        warnings: list[str] = []
        texts: list[str] = []
        try:
            with py_warnings.catch_warnings():
                # Pillow warns first and raises only at twice the limit: both are too much.
                py_warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
                frames = getattr(image, "n_frames", 1)
                for index in range(min(frames, limits.ocr_max_pages)):
                    image.seek(index)
                    page = ImageOps.exif_transpose(image.convert("RGB"))
                    texts.append(read_image(page, limits.ocr_engine))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise LimitExceeded(
                f"the image is too large ({exc}; DOCFLOW_EXTRACT_MAX_PIXELS)"
            ) from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise CorruptDocument(f"damaged image ({describe(exc)})") from None
        if frames > limits.ocr_max_pages:
            warnings.append(f"only the first {limits.ocr_max_pages} of {frames} pages read "
                            "(DOCFLOW_EXTRACT_OCR_MAX_PAGES)")  # fmt: skip
        text = clip("\n\n".join(t.strip() for t in texts if t.strip()), limits, warnings)
        return Extraction(text, "image", OCR, pages=frames, language=guess_language(text),
                          warnings=tuple(warnings))  # fmt: skip
