"""Generate the short sounds shipped in core/data/sounds (run once; the WAVs are committed).

attention.wav  three short beeps: the kiosk's inactivity warning
chime.wav      a soft two-tone "ding-dong": the hall display before each call
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050
OUT = Path(__file__).resolve().parents[1] / "core" / "data" / "sounds"


def tone(frequency: float, seconds: float, volume: float = 0.5, decay: float = 3.0) -> list[float]:
    count = int(RATE * seconds)
    samples = []
    for i in range(count):
        envelope = math.exp(-decay * i / count) * min(1.0, i / (0.01 * RATE))
        value = math.sin(2 * math.pi * frequency * i / RATE)
        value += 0.3 * math.sin(4 * math.pi * frequency * i / RATE)
        samples.append(volume * envelope * value / 1.3)
    return samples


def silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def write(name: str, samples: list[float]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with wave.open(str(OUT / name), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(RATE)
        audio.writeframes(
            b"".join(struct.pack("<h", int(max(-1, min(1, s)) * 32000)) for s in samples)
        )


if __name__ == "__main__":
    beep = tone(880, 0.18, 0.6, 1.0) + silence(0.12)
    write("attention.wav", beep * 3)
    write("chime.wav", tone(659.25, 0.55, 0.55) + tone(523.25, 0.9, 0.55))
    print(f"wrote {OUT}")
