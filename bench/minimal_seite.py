"""Die Minimalseite, gegen die `python -m bench seiten` die Seiten der App misst: je Seite ein
st.title, serviert von derselben Art Server (`streamlit run`, dieselbe .streamlit/config.toml).
Zwei Seiten in st.navigation, damit der warme Seitenwechsel genauso gemessen wird wie in der App
(Klick auf den Link in der Seitenleiste, bis der Lauf fertig ist)."""
import streamlit as st


def eins() -> None:
    st.title("Minimalseite")


def zwei() -> None:
    st.title("Minimalseite zwei")


st.navigation([st.Page(eins, title="Eins", url_path="eins", default=True),
               st.Page(zwei, title="Zwei", url_path="zwei")]).run()
