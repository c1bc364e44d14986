"""treatments, medications, questionnaires; medications taken and check-in on entries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 08:31:27.022993

"""
from alembic import op
import sqlalchemy as sa

import diary.database


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('medications',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('dose', sa.String(length=60), nullable=True),
    sa.Column('schedule', sa.String(length=120), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_medications_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_medications'))
    )
    with op.batch_alter_table('medications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_medications_patient_id'), ['patient_id'], unique=False)

    op.create_table('questionnaire_responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('instrument', sa.String(length=10), nullable=False),
    sa.Column('answered_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("instrument IN ('peg', 'bpi_sf', 'npsi', 'pgic')", name=op.f('ck_questionnaire_responses_instrument_known')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_questionnaire_responses_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_questionnaire_responses_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_responses'))
    )
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_responses_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_questionnaire_responses_patient_answered', ['patient_id', 'answered_at'], unique=False)

    op.create_table('treatments',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('patient_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('started_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', diary.database.UTCDateTime(timezone=True), nullable=True),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('dose', sa.Float(), nullable=True),
    sa.Column('dose_unit', sa.String(length=10), nullable=True),
    sa.Column('setting', sa.String(length=20), nullable=True),
    sa.Column('series_phase', sa.String(length=20), nullable=True),
    sa.Column('series_number', sa.Integer(), nullable=True),
    sa.Column('adjuvants', sa.JSON(), nullable=False),
    sa.Column('side_effects', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', diary.database.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("dose_unit IN ('mg', 'mg/kg', 'mg/h', 'mg/kg/h', 'mL/h')", name=op.f('ck_treatments_dose_unit_known')),
    sa.CheckConstraint("kind IN ('ketamine_infusion', 'lidocaine_infusion', 'nerve_block', 'medication_change', 'physiotherapy', 'other')", name=op.f('ck_treatments_kind_known')),
    sa.CheckConstraint("series_phase IN ('induction', 'booster')", name=op.f('ck_treatments_series_phase_known')),
    sa.CheckConstraint("setting IN ('inpatient', 'day_case', 'outpatient', 'home')", name=op.f('ck_treatments_setting_known')),
    sa.CheckConstraint('dose > 0', name=op.f('ck_treatments_dose_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_treatments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_treatments_patient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatments'))
    )
    with op.batch_alter_table('treatments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatments_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_treatments_patient_day', ['patient_id', 'local_date'], unique=False)

    with op.batch_alter_table('pain_entries', schema=None) as batch_op:
        # Entries logged before medications existed took none.
        batch_op.add_column(sa.Column('medications_taken', sa.JSON(), server_default=sa.text("'[]'"), nullable=False))
        batch_op.add_column(sa.Column('checkin', sa.JSON(), nullable=True))


def downgrade():
    # Drop in place: recreating pain_entries on SQLite would cascade-delete its locations.
    with op.batch_alter_table('pain_entries', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('checkin')
        batch_op.drop_column('medications_taken')

    with op.batch_alter_table('treatments', schema=None) as batch_op:
        batch_op.drop_index('ix_treatments_patient_day')
        batch_op.drop_index(batch_op.f('ix_treatments_author_id'))

    op.drop_table('treatments')
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.drop_index('ix_questionnaire_responses_patient_answered')
        batch_op.drop_index(batch_op.f('ix_questionnaire_responses_author_id'))

    op.drop_table('questionnaire_responses')
    with op.batch_alter_table('medications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_medications_patient_id'))

    op.drop_table('medications')
