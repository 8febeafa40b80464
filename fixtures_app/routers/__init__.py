"""One router per area of the fixture app; each module exposes `build(state) -> APIRouter`."""
