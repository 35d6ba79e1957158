"""Impressum: who operates this installation (from the operator configuration)."""
import streamlit as st

from components.rechtliches import angabe, betreiber
from components.shell import ensure_app_shell

ensure_app_shell()  # must run first: see components/shell.py

st.title("Impressum")
st.caption("Angaben nach § 5 DDG für das Angebot einer Behörde")
betreiber_ = betreiber()
if betreiber_ is not None:
    angabe("Herausgeber", f"{betreiber_.name}\n{betreiber_.anschrift}")
    angabe("Vertreten durch", betreiber_.vertreten_durch)
    angabe("Kontakt", "\n".join(t for t in (f"E-Mail: {betreiber_.email}",
                                            f"Telefon: {betreiber_.telefon}"
                                            if betreiber_.telefon else "") if t))
    angabe("Zuständige Aufsichtsbehörde", betreiber_.aufsichtsbehoerde)
    angabe("Betrieb", betreiber_.betrieb)

st.header("Inhalte und Daten")
st.markdown(
    "Die Angaben zum Digitalisierungsstand, zu Kooperationen, Produkten und EfA-Anbindungen "
    "stammen aus der Selbstauskunft der Verwaltungen und werden von der Redaktion des Kreises "
    "gepflegt; jede Änderung steht im Änderungsprotokoll. Gebiete und Einwohnerzahlen sind "
    "amtliche Daten; ihre Quellen und Lizenzen stehen unter „Methodik & Quellen“ und in der "
    "Fußzeile jeder Seite.")
st.header("Software")
st.markdown(
    "IKZ-Monitor – Werkzeug zur Steuerung der interkommunalen Zusammenarbeit bei der "
    "Digitalisierung. Die Anwendung lädt keine Inhalte von fremden Servern (keine Schriftarten, "
    "Kartendienste oder Statistikdienste von Dritten).")
